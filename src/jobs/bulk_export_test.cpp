#include "jobs/bulk_export.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>
#include <thread>

#include "jobs/temp_store_test.h"

namespace hb::jobs {
namespace {

using namespace std::chrono_literals;

class BulkExportTest : public testing::TempStoreTest {
 protected:
  BulkExportTest() : TempStoreTest("hb_export_test") {}
  void SetUp() override {
    TempStoreTest::SetUp();
    if (HasFatalFailure()) return;
    // Two patients, their observations, a practitioner outside any compartment, a group.
    Put("Patient", "p1", R"({"resourceType":"Patient","id":"p1"})", {"p1"});
    Put("Patient", "p2", R"({"resourceType":"Patient","id":"p2"})", {"p2"});
    for (int i = 0; i < 5; ++i) {
      std::string id = "o" + std::to_string(i);
      Put("Observation", id, R"({"resourceType":"Observation","id":")" + id + R"("})",
          {i < 3 ? "p1" : "p2"});
    }
    Put("Observation", "orphan", R"({"resourceType":"Observation","id":"orphan"})", {});
    Put("Practitioner", "d1", R"({"resourceType":"Practitioner","id":"d1"})", {});
    Put("Group", "g1",
        R"({"resourceType":"Group","id":"g1","member":[{"entity":{"reference":"Patient/p2"}}]})",
        {});
  }
  void TearDown() override {
    exporter_.reset();
    TempStoreTest::TearDown();
  }
  void Put(const std::string& type, const std::string& id, const std::string& json,
           std::vector<std::string> patients) {
    storage::IndexRows rows;
    rows.patient_compartment = std::move(patients);
    ASSERT_TRUE(store_->WriteSync([&](storage::WriteTxn& txn) {
      storage::PutRequest r;
      r.type = type;
      r.id = id;
      r.version = 1;
      r.last_updated = txn.Now();
      r.json = json;
      r.index = &rows;
      return txn.Put(r);
    }).ok());
  }
  BulkExporter& Exporter(ExportOptions options = {}) {
    if (!exporter_) {
      exporter_ = std::make_unique<BulkExporter>(*store_, (dir_ / "exports").string(), options);
    }
    return *exporter_;
  }
  ExportStatus Wait(const std::string& id) {
    for (int i = 0; i < 500; ++i) {
      auto st = Exporter().Poll(id);
      if (st && st->state != ExportState::kRunning) return *st;
      std::this_thread::sleep_for(10ms);
    }
    ADD_FAILURE() << "export did not finish";
    return {};
  }
  // Lines of an NDJSON file.
  static int64_t Lines(const std::string& ndjson) {
    return std::count(ndjson.begin(), ndjson.end(), '\n');
  }
  // Starts `r` and waits for it to complete.
  ExportStatus Run(ExportRequest r, std::string* id_out = nullptr) {
    auto id = Exporter().Start(std::move(r));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    if (!id.ok()) return {};
    ExportStatus st = Wait(*id);
    EXPECT_EQ(st.state, ExportState::kCompleted) << st.error;
    if (id_out) *id_out = *id;
    return st;
  }
  std::map<std::string, std::string> Files(const std::string& id, const ExportStatus& st) {
    std::map<std::string, std::string> out;
    for (const ExportFile& f : st.files) {
      std::ifstream in(Exporter().FilePath(id, f.name));
      std::stringstream s;
      s << in.rdbuf();
      out[f.type] = s.str();
    }
    return out;
  }
  std::unique_ptr<BulkExporter> exporter_;
};

TEST_F(BulkExportTest, SystemLevelWritesOneNdjsonFilePerTypeHeld) {
  auto id = Exporter().Start({});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ExportStatus st = Wait(*id);
  ASSERT_EQ(st.state, ExportState::kCompleted) << st.error;
  auto files = Files(*id, st);
  EXPECT_EQ(files.size(), 4u);  // Group, Observation, Patient, Practitioner
  EXPECT_EQ(Lines(files["Observation"]), 6);
  EXPECT_EQ(files["Patient"],
            "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n{\"resourceType\":\"Patient\",\"id\":\"p2\"}\n");
  EXPECT_EQ(st.resources, 10);
  EXPECT_TRUE(Exporter().FilePath(*id, "../store.db").empty());  // only the job's own files
}

TEST_F(BulkExportTest, TypesWrittenInParallelAreListedInTheRequestedOrder) {
  ExportOptions options;
  options.workers = 3;  // three types at once, whichever finishes first
  ExportRequest r;
  r.types = {"Practitioner", "Observation", "Encounter", "Patient", "Group"};
  auto id = Exporter(options).Start(r);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ExportStatus st = Wait(*id);
  ASSERT_EQ(st.state, ExportState::kCompleted) << st.error;
  std::vector<std::string> listed;
  for (const ExportFile& f : st.files) listed.push_back(f.type);
  // Encounter has no resources, so no file.
  EXPECT_EQ(listed, (std::vector<std::string>{"Practitioner", "Observation", "Patient", "Group"}));
  auto files = Files(*id, st);
  EXPECT_EQ(Lines(files["Observation"]), 6);
  EXPECT_EQ(st.files[1].count, 6);
  EXPECT_EQ(st.resources, 10);
}

TEST_F(BulkExportTest, ALargeTypeIsSplitIntoBoundedFiles) {
  for (int64_t per_file : {4, 3}) {
    ExportOptions options;
    options.max_file_resources = per_file;
    exporter_.reset();  // the next Exporter() takes these options
    ExportRequest r;
    r.types = {"Observation", "Patient"};
    auto id = Exporter(options).Start(r);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ExportStatus st = Wait(*id);
    ASSERT_EQ(st.state, ExportState::kCompleted) << st.error;
    std::vector<std::string> names;
    std::vector<int64_t> counts;
    for (const ExportFile& f : st.files) {
      names.push_back(f.name);
      counts.push_back(f.count);
    }
    // Six Observations: 4 + 2, or 3 + 3 with no empty third file.
    EXPECT_EQ(names, (std::vector<std::string>{"Observation.ndjson", "Observation-2.ndjson",
                                               "Patient.ndjson"}))
        << per_file;
    EXPECT_EQ(counts, (std::vector<int64_t>{per_file, 6 - per_file, 2})) << per_file;
    std::set<std::string> ids;
    for (const ExportFile& f : st.files) {
      if (f.type != "Observation") continue;
      const std::string path = Exporter().FilePath(*id, f.name);
      ASSERT_FALSE(path.empty()) << f.name;
      std::ifstream in(path);
      std::string line;
      int64_t lines = 0;
      while (std::getline(in, line)) {
        ++lines;
        ids.insert(line);
      }
      EXPECT_EQ(lines, f.count) << f.name;
    }
    EXPECT_EQ(ids.size(), 6u) << "every Observation once, across the two files";
  }
}

TEST_F(BulkExportTest, PatientAndGroupLevelsKeepToCompartments) {
  ExportRequest patient;
  patient.level = ExportLevel::kPatient;
  auto id = Exporter().Start(patient);
  ASSERT_TRUE(id.ok());
  auto files = Files(*id, Wait(*id));
  EXPECT_EQ(files.count("Practitioner"), 0u);
  EXPECT_EQ(files["Observation"].find("orphan"), std::string::npos);  // in no compartment
  EXPECT_EQ(Lines(files["Observation"]), 5);

  ExportRequest group;
  group.level = ExportLevel::kGroup;
  group.group_id = "g1";
  group.types = {"Patient", "Observation"};
  id = Exporter().Start(group);
  ASSERT_TRUE(id.ok());
  files = Files(*id, Wait(*id));
  EXPECT_EQ(files["Patient"], "{\"resourceType\":\"Patient\",\"id\":\"p2\"}\n");
  EXPECT_EQ(Lines(files["Observation"]), 2);

  group.group_id = "nope";
  id = Exporter().Start(group);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(Wait(*id).state, ExportState::kFailed);
}

TEST_F(BulkExportTest, ThePatientParameterKeepsToTheListedPatients) {
  // Patient level: p2 and one the server does not have.
  ExportRequest patient;
  patient.level = ExportLevel::kPatient;
  patient.patients = {"p2", "nobody", "p2"};
  patient.types = {"Patient", "Observation"};
  std::string id;
  ExportStatus st = Run(patient, &id);
  auto files = Files(id, st);
  EXPECT_EQ(files["Patient"], "{\"resourceType\":\"Patient\",\"id\":\"p2\"}\n");
  EXPECT_EQ(Lines(files["Observation"]), 2);
  ASSERT_EQ(st.files.size(), 3u);
  const ExportFile& errors = st.files.back();
  EXPECT_TRUE(errors.error);
  EXPECT_EQ(errors.type, "OperationOutcome");
  EXPECT_EQ(errors.count, 1);
  EXPECT_NE(files["OperationOutcome"].find("Patient/nobody is not on this server"),
            std::string::npos)
      << files["OperationOutcome"];
  EXPECT_FALSE(st.files[0].error);

  // Group level: p1 is on the server but not in g1; p2 is.
  ExportRequest group;
  group.level = ExportLevel::kGroup;
  group.group_id = "g1";
  group.patients = {"p1", "p2"};
  group.types = {"Observation"};
  st = Run(group, &id);
  files = Files(id, st);
  EXPECT_EQ(Lines(files["Observation"]), 2);
  EXPECT_EQ(files["Observation"].find("\"o0\""), std::string::npos);  // p1's
  EXPECT_NE(files["OperationOutcome"].find("Patient/p1 is not a member of Group/g1"),
            std::string::npos);

  // None of them there: nothing exported, only the error file.
  patient.patients = {"nobody"};
  st = Run(patient);
  ASSERT_EQ(st.files.size(), 1u);
  EXPECT_TRUE(st.files[0].error);
}

TEST_F(BulkExportTest, ARestrictedExportLeavesOutRecordsOfPatientsNotListed) {
  // An Observation in p1's and p2's compartments (p2 performed it), and a Patient p3 that
  // links to p2 (so it is in p2's compartment as well as its own).
  Put("Observation", "shared", R"({"resourceType":"Observation","id":"shared"})", {"p1", "p2"});
  Put("Patient", "p3", R"({"resourceType":"Patient","id":"p3"})", {"p3", "p2"});
  auto run = [&](std::vector<std::string> listed) {
    ExportRequest r;
    r.level = ExportLevel::kPatient;
    r.patients = std::move(listed);
    r.types = {"Patient", "Observation"};
    std::string id;
    ExportStatus st = Run(r, &id);
    return Files(id, st);
  };
  auto files = run({"p2"});
  EXPECT_EQ(files["Observation"].find("shared"), std::string::npos) << "p1's record too";
  EXPECT_EQ(files["Patient"], "{\"resourceType\":\"Patient\",\"id\":\"p2\"}\n")
      << "p3 links to p2 but is not listed";
  files = run({"p1", "p2"});
  EXPECT_EQ(Lines(files["Observation"]), 6);
  EXPECT_NE(files["Observation"].find("shared"), std::string::npos);
  files = run({"p3"});
  EXPECT_EQ(files["Patient"], "{\"resourceType\":\"Patient\",\"id\":\"p3\"}\n")
      << "a listed patient's own record, though it is in p2's compartment too";
  // With _typeFilter the same rule holds.
  ExportRequest filtered;
  filtered.level = ExportLevel::kPatient;
  filtered.patients = {"p2"};
  filtered.types = {"Observation"};
  filtered.type_filters.push_back({"Observation", {{"_id", "shared,o3"}}});
  std::string id;
  ExportStatus st = Run(filtered, &id);
  files = Files(id, st);
  EXPECT_EQ(files["Observation"], "{\"resourceType\":\"Observation\",\"id\":\"o3\"}\n");
}

TEST_F(BulkExportTest, ARecordSharedAcrossPatientChunksIsWrittenOnce) {
  // 501 listed patients: scanned 500 at a time, so q000 and q500 fall in different chunks.
  // An Observation of both, and q500's Patient, which links to q000.
  std::vector<std::string> listed;
  for (int i = 0; i <= 500; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "q%03d", i);
    listed.push_back(id);
    const std::string json = R"({"resourceType":"Patient","id":")" + listed.back() + R"("})";
    if (i == 500) {
      Put("Patient", id, json, {id, "q000"});
    } else {
      Put("Patient", id, json, {id});
    }
  }
  Put("Observation", "across", R"({"resourceType":"Observation","id":"across"})",
      {"q000", "q500"});
  ExportRequest r;
  r.level = ExportLevel::kPatient;
  r.patients = listed;
  r.types = {"Patient", "Observation"};
  std::string id;
  ExportStatus st = Run(r, &id);
  auto files = Files(id, st);
  EXPECT_EQ(Lines(files["Patient"]), 501);
  EXPECT_EQ(files["Observation"], "{\"resourceType\":\"Observation\",\"id\":\"across\"}\n");
}

TEST_F(BulkExportTest, AGroupsMembersAreItsActiveOnesTheServerHas) {
  // p1 left the group (inactive), p2 is named by a versioned reference and by an absolute
  // one (read as the compartment index reads them), ghost was never stored.
  Put("Group", "g2", R"({"resourceType":"Group","id":"g2","member":[)"
                     R"({"entity":{"reference":"Patient/p1"},"inactive":true},)"
                     R"({"entity":{"reference":"Patient/p2/_history/1"}},)"
                     R"({"entity":{"reference":"Patient/ghost"}},)"
                     R"({"entity":{"reference":"https://hb.example/fhir/Patient/p2"}}]})",
      {});
  ExportRequest r;
  r.level = ExportLevel::kGroup;
  r.group_id = "g2";
  r.types = {"Patient", "Observation"};
  std::string id;
  ExportStatus st = Run(r, &id);
  auto files = Files(id, st);
  EXPECT_EQ(files["Patient"], "{\"resourceType\":\"Patient\",\"id\":\"p2\"}\n");
  EXPECT_EQ(Lines(files["Observation"]), 2);
  EXPECT_NE(files["OperationOutcome"].find("Patient/ghost, a member of Group/g2, is not on"),
            std::string::npos)
      << files["OperationOutcome"];
  EXPECT_EQ(files["OperationOutcome"].find("p1"), std::string::npos);
}

TEST_F(BulkExportTest, SinceTypesAndBadRequests) {
  int64_t later = 0;
  {
    auto v = store_->BeginRead()->Read("Group", "g1");
    ASSERT_TRUE(v.ok());
    later = v->last_updated;
  }
  ExportRequest r;
  r.since = later;
  auto id = Exporter().Start(r);
  ASSERT_TRUE(id.ok());
  auto files = Files(*id, Wait(*id));
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files.count("Group"), 1u);

  ExportRequest bad;
  bad.types = {"Nonsense"};
  EXPECT_FALSE(Exporter().Start(bad).ok());
  bad.types = {"Practitioner"};
  bad.level = ExportLevel::kPatient;
  EXPECT_FALSE(Exporter().Start(bad).ok());  // not in the Patient compartment
}

TEST_F(BulkExportTest, DeleteRemovesTheJobAndItsFiles) {
  auto id = Exporter().Start({});
  ASSERT_TRUE(id.ok());
  ExportStatus st = Wait(*id);
  std::string path = Exporter().FilePath(*id, "Patient.ndjson");
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_TRUE(Exporter().Delete(*id));
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(Exporter().Poll(*id).has_value());
  EXPECT_FALSE(Exporter().Delete(*id));
}

}  // namespace
}  // namespace hb::jobs
