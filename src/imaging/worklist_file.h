// Writes and removes the .wl files of Orthanc's ModalityWorklists plugin (its "Database"
// folder), encoded with DCMTK's dcmdata: a DICOM file in Explicit VR Little Endian, UTF-8
// (SpecificCharacterSet ISO_IR 192, for Vietnamese names).
//
// Contract: thread-compatible (one writer per folder). A file is written to a temporary
// name and renamed, so the plugin never reads half a file. Failure modes: kUnavailable when
// the folder cannot be written (full disk, permissions), naming the path.
#pragma once

#include <string>

#include "common/status.h"
#include "imaging/worklist.h"

namespace hb::imaging {

Status WriteWorklistFile(const WorklistEntry& entry, const std::string& dir);
// The StudyInstanceUID of the order's file as written before; "" when there is no file or it
// cannot be read (then the entry gets a new UID, as a new order would).
std::string ReadWorklistStudyUid(const std::string& order_id, const std::string& dir);
// Removes the order's file; no error when there is none.
Status RemoveWorklistFile(const std::string& order_id, const std::string& dir);

}  // namespace hb::imaging
