#include "auth/key_store.h"

#include <fcntl.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "auth/internal/openssl.h"
#include "auth/jwk.h"

namespace hb::auth {
namespace {

namespace fs = std::filesystem;
using internal::BioPtr;

constexpr size_t kMaxKeyFileBytes = 64 * 1024;

Status StorageError(const fs::path& path, std::string_view what) {
  return Status(ErrorCode::kStorageError,
                std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

Status Unsafe(const fs::path& path, std::string why) {
  return Status(ErrorCode::kInvalidArgument, "key file " + path.string() + " " + std::move(why));
}

// "<created>-<kid>.pem" -> created, kid; false for other names.
bool ParseName(const std::string& name, int64_t* created, std::string* kid) {
  constexpr std::string_view kExt = ".pem";
  if (name.size() <= kExt.size() || name.compare(name.size() - kExt.size(), kExt.size(), kExt)) {
    return false;
  }
  size_t dash = name.find('-');
  if (dash == 0 || dash == std::string::npos || dash > 18) return false;
  int64_t t = 0;
  for (size_t i = 0; i < dash; ++i) {
    if (name[i] < '0' || name[i] > '9') return false;
    t = t * 10 + (name[i] - '0');
  }
  *created = t;
  *kid = name.substr(dash + 1, name.size() - kExt.size() - dash - 1);
  return !kid->empty();
}

Status EnsureFolder(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir.parent_path(), ec);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
      return StorageError(dir, "cannot create");
  }
  struct stat st;
  if (::lstat(dir.c_str(), &st) != 0) return StorageError(dir, "cannot stat");
  if (!S_ISDIR(st.st_mode)) {
    return Status(ErrorCode::kInvalidArgument, dir.string() + " is not a folder");
  }
  if ((st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0) {
    return StorageError(dir, "cannot restrict to mode 0700");
  }
  return Status::Ok();
}

Result<JwsKey> ReadKeyFile(const fs::path& path, const std::string& kid) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP) return Unsafe(path, "is a symbolic link");
    return StorageError(path, "cannot open");
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > off_t(kMaxKeyFileBytes)) {
    ::close(fd);
    return Unsafe(path, "is not a regular file of at most 64 KiB");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", unsigned(st.st_mode & 07777));
    return Unsafe(path, "is readable by group or others (mode " + std::string(mode) +
                            "); run chmod 600 on it");
  }
  BioPtr bio(BIO_new_fd(fd, BIO_CLOSE));
  EVP_PKEY* pkey =
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, internal::NoPassphrase, nullptr) : nullptr;
  if (!bio) ::close(fd);
  if (!pkey) {
    internal::OpenSslError();
    return Unsafe(path, "does not hold a PEM private key");
  }
  HB_ASSIGN_OR_RETURN(JwsKey key, JwsKey::Adopt(pkey, true));
  if (key.type() != KeyType::kEcP256) return Unsafe(path, "is not an EC P-256 key");
  if (Thumbprint(key) != kid) return Unsafe(path, "does not match its thumbprint");
  return key.PinnedTo(JwsAlg::kES256);
}

Status WriteKeyFile(const fs::path& dir, const JwsKey& key, int64_t created,
                    const std::string& kid) {
  fs::path tmp = dir / (".tmp-" + kid);
  fs::path final_path = dir / (std::to_string(created) + "-" + kid + ".pem");
  ::unlink(tmp.c_str());  // a leftover from a crash
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return StorageError(tmp, "cannot create");
  bool ok = false;
  {
    BioPtr bio(BIO_new_fd(fd, BIO_NOCLOSE));
    ok = bio &&
         PEM_write_bio_PrivateKey(bio.get(), key.evp(), nullptr, nullptr, 0, nullptr, nullptr) ==
             1 &&
         BIO_flush(bio.get()) == 1;
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), final_path.c_str()) != 0) {
    internal::OpenSslError();
    Status s = StorageError(final_path, "cannot write");
    ::unlink(tmp.c_str());
    return s;
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // make the rename durable
    ::close(dfd);
  }
  return Status::Ok();
}

}  // namespace

KeyStore::KeyStore(fs::path dir, KeyStoreOptions options, TimeSource now)
    : dir_(std::move(dir)), options_(options), now_(std::move(now)) {}

Result<std::unique_ptr<KeyStore>> KeyStore::Open(const fs::path& dir, KeyStoreOptions options,
                                                 TimeSource now) {
  HB_RETURN_IF_ERROR(EnsureFolder(dir));
  std::unique_ptr<KeyStore> store(new KeyStore(dir, options, std::move(now)));
  auto keys = std::make_shared<KeySet>();
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind(".tmp-", 0) == 0) {
      ::unlink(e.path().c_str());  // an unfinished write
      continue;
    }
    int64_t created = 0;
    std::string kid;
    if (!ParseName(name, &created, &kid)) continue;  // not ours: never used
    HB_ASSIGN_OR_RETURN(JwsKey key, ReadKeyFile(e.path(), kid));
    keys->push_back(Entry{std::move(key), std::move(kid), created});
  }
  if (ec)
    return Status(ErrorCode::kStorageError, "cannot list " + dir.string() + ": " + ec.message());
  std::sort(keys->begin(), keys->end(), [](const Entry& a, const Entry& b) {
    return a.created != b.created ? a.created < b.created : a.kid < b.kid;
  });
  store->Publish(std::move(keys));
  if (store->Snapshot()->empty()) {
    std::lock_guard<std::mutex> lock(store->write_mu_);
    HB_RETURN_IF_ERROR(store->RotateLocked());
  }
  return store;
}

std::shared_ptr<const KeyStore::KeySet> KeyStore::Snapshot() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return keys_;
}

void KeyStore::Publish(std::shared_ptr<const KeySet> keys) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  keys_ = std::move(keys);
}

int64_t KeyStore::RetiresAt(const KeySet& keys, size_t i) const {
  if (i + 1 >= keys.size()) return 0;
  return keys[i + 1].created + options_.retire_after.count();
}

Result<std::string> KeyStore::Sign(const JwtClaims& claims, std::string_view typ) const {
  std::shared_ptr<const KeySet> keys = Snapshot();
  const Entry& current = keys->back();
  return SignJwt(claims, current.key, JwsAlg::kES256, current.kid, typ);
}

Result<Jwt> KeyStore::Verify(std::string_view token, VerifyOptions options) const {
  std::shared_ptr<const KeySet> keys = Snapshot();
  if (!options.now) options.now = now_();
  options.algorithms = {JwsAlg::kES256};
  const int64_t now = *options.now;
  auto lookup = [&](std::string_view kid) -> std::optional<JwsKey> {
    for (size_t i = 0; i < keys->size(); ++i) {
      if ((*keys)[i].kid != kid) continue;
      int64_t retires = RetiresAt(*keys, i);
      if (retires != 0 && now >= retires) return std::nullopt;  // retired: as if unknown
      return (*keys)[i].key;
    }
    return std::nullopt;
  };
  return VerifyJwt(token, lookup, options);
}

std::string KeyStore::Jwks() const {
  std::shared_ptr<const KeySet> keys = Snapshot();
  const int64_t now = now_();
  std::vector<Jwk> out;
  for (size_t i = keys->size(); i-- > 0;) {
    int64_t retires = RetiresAt(*keys, i);
    if (retires != 0 && now >= retires) continue;
    const Entry& e = (*keys)[i];
    out.push_back(Jwk{e.key.PublicOnly(), e.kid, JwsAlg::kES256, "sig"});
  }
  return JwksJson(out);
}

std::string KeyStore::CurrentKid() const { return Snapshot()->back().kid; }

std::vector<KeyInfo> KeyStore::Keys() const {
  std::shared_ptr<const KeySet> keys = Snapshot();
  std::vector<KeyInfo> out;
  for (size_t i = 0; i < keys->size(); ++i) {
    const Entry& e = (*keys)[i];
    out.push_back(KeyInfo{e.kid, e.created, RetiresAt(*keys, i), i + 1 == keys->size()});
  }
  return out;
}

Status KeyStore::RotateLocked() {
  std::shared_ptr<const KeySet> old = Snapshot();
  HB_ASSIGN_OR_RETURN(JwsKey key, JwsKey::Generate(KeyType::kEcP256));
  std::string kid = Thumbprint(key);
  // Creation times strictly increase, so the newest key is current after a reopen.
  int64_t created = now_();
  if (!old->empty()) created = std::max(created, old->back().created + 1);
  HB_RETURN_IF_ERROR(WriteKeyFile(dir_, key, created, kid));
  HB_ASSIGN_OR_RETURN(JwsKey pinned, key.PinnedTo(JwsAlg::kES256));
  auto next = std::make_shared<KeySet>(*old);
  next->push_back(Entry{std::move(pinned), std::move(kid), created});
  Publish(std::move(next));
  return Status::Ok();
}

Status KeyStore::Rotate() {
  std::lock_guard<std::mutex> lock(write_mu_);
  return RotateLocked();
}

Result<size_t> KeyStore::PruneLocked() {
  std::shared_ptr<const KeySet> old = Snapshot();
  const int64_t now = now_();
  auto next = std::make_shared<KeySet>();
  size_t removed = 0;
  for (size_t i = 0; i < old->size(); ++i) {
    const Entry& e = (*old)[i];
    int64_t retires = RetiresAt(*old, i);
    if (retires == 0 || now < retires) {
      next->push_back(e);
      continue;
    }
    fs::path file = dir_ / (std::to_string(e.created) + "-" + e.kid + ".pem");
    if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
      Status error = StorageError(file, "cannot delete");
      next->insert(next->end(), old->begin() + i, old->end());  // keep what is still on disk
      Publish(std::move(next));
      return error;
    }
    ++removed;
  }
  Publish(std::move(next));
  return removed;
}

Result<size_t> KeyStore::Prune() {
  std::lock_guard<std::mutex> lock(write_mu_);
  return PruneLocked();
}

Result<bool> KeyStore::RotateIfDue() {
  std::lock_guard<std::mutex> lock(write_mu_);
  bool due = now_() - Snapshot()->back().created >= options_.rotate_every.count();
  if (due) HB_RETURN_IF_ERROR(RotateLocked());
  HB_RETURN_IF_ERROR(PruneLocked().status());
  return due;
}

}  // namespace hb::auth
