#include "common/latin_letters.h"

#include <string_view>

namespace hb {

bool IsVietnameseLetter(char32_t cp) {
  // Outside the block of the vowels with tone marks: â ê ô and the letters with one mark.
  constexpr std::u32string_view kOthers =
      U"ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư";
  return (cp >= 0x1EA0 && cp <= 0x1EF9) || kOthers.find(cp) != std::u32string_view::npos;
}

}  // namespace hb
