#include "imaging/study_bundle.h"

#include "common/percent_encoding.h"
#include "imaging/imaging_systems.h"
#include "imaging/json_util.h"

namespace hb::imaging {

namespace {

// A fixed alias for the provisional Patient inside one transaction: the bundle holds at
// most one, and the server rewrites the reference to the id it assigns (or finds).
constexpr std::string_view kProvisionalPatientUrn = "urn:uuid:7b0d1c3e-5f8a-4e2b-9c6d-0a1b2c3d4e5f";

void Reference(Writer& w, std::string_view key, std::string_view ref) {
  Key(w, key);
  w.StartObject();
  Str(w, "reference", ref);
  w.EndObject();
}

void WriteImagingStudy(Writer& w, const StudyFacts& f, const PacsLinks& pacs,
                       std::string_view subject, std::string_view service_request) {
  w.StartObject();
  Str(w, "resourceType", "ImagingStudy");
  Key(w, "extension");
  w.StartArray();
  w.StartObject();
  Str(w, "url", ViewerExtensionUrl());
  Str(w, "valueUrl", ViewerUrl(pacs, f.orthanc_id));
  w.EndObject();
  w.EndArray();
  Key(w, "identifier");
  w.StartArray();
  w.StartObject();
  Str(w, "system", kDicomUidSystem);
  Str(w, "value", "urn:oid:" + f.uid);
  w.EndObject();
  if (!f.accession.empty()) {
    w.StartObject();
    Key(w, "type");
    w.StartObject();
    Key(w, "coding");
    w.StartArray();
    Coding(w, kIdentifierTypeSystem, "ACSN", "Accession ID");
    w.EndArray();
    w.EndObject();
    Str(w, "system", AccessionSystem());
    Str(w, "value", f.accession);
    w.EndObject();
  }
  w.EndArray();
  Str(w, "status", "available");
  if (!f.modalities.empty()) {
    Key(w, "modality");
    w.StartArray();
    for (const std::string& m : f.modalities) Coding(w, kDicomDcmSystem, m, {});
    w.EndArray();
  }
  Reference(w, "subject", subject);
  Str(w, "started", f.started);
  if (!service_request.empty()) {
    Key(w, "basedOn");
    w.StartArray();
    w.StartObject();
    Str(w, "reference", service_request);
    w.EndObject();
    w.EndArray();
  }
  Key(w, "endpoint");
  w.StartArray();
  w.StartObject();
  Str(w, "reference", "Endpoint/" + std::string(kEndpointId));
  w.EndObject();
  w.EndArray();
  Key(w, "numberOfSeries");
  w.Int(static_cast<int>(f.series.size()));
  Key(w, "numberOfInstances");
  w.Int(f.instances);
  Str(w, "description", f.description);
  if (!f.series.empty()) {
    Key(w, "series");
    w.StartArray();
    for (const SeriesFacts& s : f.series) {
      w.StartObject();
      Str(w, "uid", s.uid);
      if (!s.number.empty() && s.number.size() < 10 &&
          s.number.find_first_not_of("0123456789") == std::string::npos) {
        Key(w, "number");
        w.Int(std::stoi(s.number));
      }
      Key(w, "modality");
      Coding(w, kDicomDcmSystem, s.modality, {});
      Str(w, "description", s.description);
      Key(w, "numberOfInstances");
      w.Int(s.instances);
      if (!s.body_part.empty()) {
        Key(w, "bodySite");
        Coding(w, BodyPartSystem(), s.body_part, s.body_part);
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

void WriteProvisionalPatient(Writer& w, const StudyFacts& f) {
  w.StartObject();
  Str(w, "resourceType", "Patient");
  Key(w, "meta");
  w.StartObject();
  Key(w, "tag");
  w.StartArray();
  Coding(w, ReconciliationTagSystem(), kProvisionalTag,
         "Created from a DICOM study for an unknown PatientID: to reconcile");
  w.EndArray();
  w.EndObject();
  if (!f.patient_id.empty()) {
    Key(w, "identifier");
    w.StartArray();
    w.StartObject();
    Str(w, "system", DicomPatientIdSystem());
    Str(w, "value", f.patient_id);
    w.EndObject();
    w.EndArray();
  }
  if (!f.patient_family.empty() || !f.patient_given.empty()) {
    Key(w, "name");
    w.StartArray();
    w.StartObject();
    Str(w, "family", f.patient_family);
    if (!f.patient_given.empty()) {
      Key(w, "given");
      w.StartArray();
      Text(w, f.patient_given);
      w.EndArray();
    }
    w.EndObject();
    w.EndArray();
  }
  Str(w, "gender", f.patient_gender);
  Str(w, "birthDate", f.patient_birth_date);
  w.EndObject();
}

}  // namespace

std::string DicomWebBase(const PacsLinks& pacs) { return pacs.public_url + pacs.dicomweb_path; }

std::string ViewerUrl(const PacsLinks& pacs, std::string_view orthanc_id) {
  return pacs.public_url + "/app/explorer.html#study?uuid=" + std::string(orthanc_id);
}

std::string EndpointJson(const PacsLinks& pacs) {
  rapidjson::StringBuffer out;
  Writer w(out);
  w.StartObject();
  Str(w, "resourceType", "Endpoint");
  Str(w, "id", kEndpointId);
  Str(w, "status", "active");
  Key(w, "connectionType");
  Coding(w, kEndpointConnectionTypeSystem, "dicom-wado-rs", "DICOM WADO-RS");
  Str(w, "name", "Orthanc PACS (DICOMweb)");
  Key(w, "payloadType");
  w.StartArray();
  w.StartObject();
  Str(w, "text", "DICOM");
  w.EndObject();
  w.EndArray();
  Key(w, "payloadMimeType");
  w.StartArray();
  Text(w, "application/dicom");
  w.EndArray();
  Str(w, "address", DicomWebBase(pacs));
  w.EndObject();
  return out.GetString();
}

std::string ImagingStudyJson(const StudyFacts& f, const PacsLinks& pacs, std::string_view subject,
                             std::string_view service_request) {
  rapidjson::StringBuffer out;
  Writer w(out);
  WriteImagingStudy(w, f, pacs, subject, service_request);
  return out.GetString();
}

std::string StudyTransaction(const StudyFacts& f, const PacsLinks& pacs, const StudyLinks& links) {
  rapidjson::StringBuffer out;
  Writer w(out);
  w.StartObject();
  Str(w, "resourceType", "Bundle");
  Str(w, "type", "transaction");
  Key(w, "entry");
  w.StartArray();
  std::string subject = links.patient;
  if (subject.empty()) {
    subject = std::string(kProvisionalPatientUrn);
    w.StartObject();
    Str(w, "fullUrl", kProvisionalPatientUrn);
    Key(w, "resource");
    WriteProvisionalPatient(w, f);
    Key(w, "request");
    w.StartObject();
    Str(w, "method", "POST");
    Str(w, "url", "Patient");
    // Without a PatientID there is nothing to recognise the patient by next time.
    if (!f.patient_id.empty()) {
      Str(w, "ifNoneExist",
          "identifier=" + PercentEncode(DicomPatientIdSystem() + "|" + f.patient_id));
    }
    w.EndObject();
    w.EndObject();
  }
  w.StartObject();
  Key(w, "resource");
  WriteImagingStudy(w, f, pacs, subject, links.service_request);
  Key(w, "request");
  w.StartObject();
  Str(w, "method", "PUT");
  Str(w, "url",
      "ImagingStudy?identifier=" +
          PercentEncode(std::string(kDicomUidSystem) + "|urn:oid:" + f.uid));
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return out.GetString();
}

}  // namespace hb::imaging
