#include "imaging/worklist_file.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace hb::imaging {

namespace {

// Type 2 attributes are written even when empty (PS3.4 K.6: a matching key the SCP returns).
void Put(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  item.putAndInsertString(tag, value.c_str());
}

}  // namespace

Status WriteWorklistFile(const WorklistEntry& e, const std::string& dir) {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  Put(ds, DCM_SpecificCharacterSet, "ISO_IR 192");
  Put(ds, DCM_AccessionNumber, e.accession);
  Put(ds, DCM_ReferringPhysicianName, e.referring);
  Put(ds, DCM_PatientName, e.patient_name);
  Put(ds, DCM_PatientID, e.patient_id);
  Put(ds, DCM_PatientBirthDate, e.birth_date);
  Put(ds, DCM_PatientSex, e.sex);
  Put(ds, DCM_StudyInstanceUID, e.study_uid);
  Put(ds, DCM_RequestedProcedureDescription, e.description);
  Put(ds, DCM_RequestedProcedureID, e.accession);
  Put(ds, DCM_RequestedProcedurePriority, "");
  DcmItem* sps = nullptr;
  if (ds.findOrCreateSequenceItem(DCM_ScheduledProcedureStepSequence, sps, -2).bad() || !sps) {
    return Status(ErrorCode::kInternal, "DCMTK could not make the scheduled step item");
  }
  Put(*sps, DCM_Modality, e.modality);
  Put(*sps, DCM_ScheduledStationAETitle, e.station_ae);
  Put(*sps, DCM_ScheduledProcedureStepStartDate, e.start_date);
  Put(*sps, DCM_ScheduledProcedureStepStartTime, e.start_time);
  Put(*sps, DCM_ScheduledPerformingPhysicianName, "");
  Put(*sps, DCM_ScheduledProcedureStepDescription, e.description);
  Put(*sps, DCM_ScheduledProcedureStepID, e.accession);

  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string path = dir + "/" + WorklistFileName(e.order_id);
  const std::string tmp = path + ".tmp";  // not *.wl: the plugin ignores it until renamed
  OFCondition st = file.saveFile(tmp.c_str(), EXS_LittleEndianExplicit);
  if (st.bad()) {
    std::remove(tmp.c_str());
    return Status(ErrorCode::kUnavailable,
                  "cannot write the worklist file " + tmp + ": " + st.text());
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return Status(ErrorCode::kUnavailable, "cannot rename " + tmp + ": " + why);
  }
  return Status::Ok();
}

std::string ReadWorklistStudyUid(const std::string& order_id, const std::string& dir) {
  const std::string path = dir + "/" + WorklistFileName(order_id);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return {};
  DcmFileFormat file;
  if (file.loadFile(path.c_str()).bad()) return {};
  OFString uid;
  if (file.getDataset()->findAndGetOFString(DCM_StudyInstanceUID, uid).bad()) return {};
  return std::string(uid.c_str());
}

Status RemoveWorklistFile(const std::string& order_id, const std::string& dir) {
  const std::string path = dir + "/" + WorklistFileName(order_id);
  if (std::remove(path.c_str()) != 0 && errno != ENOENT) {
    return Status(ErrorCode::kUnavailable, "cannot remove " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace hb::imaging
