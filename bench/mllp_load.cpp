// mllp_load: an HL7 v2 load generator for healthbook's MLLP listener, and the trivial MLLP
// ACK server that serves as its baseline (bench/mllp.sh).
//
//   mllp_load --port P [--host H] [--connections 8] [--seconds 20] [--results 3]
//             [--patients 1000] [--register] [--run ID] [--window 1]
//     Each connection is one sender thread on a blocking socket: it sends an ORU^R01, waits for
//     its ACK, checks MSA-1 is AA and MSA-2 its control id, and sends the next (original mode,
//     one message in flight per sender, as LIS middleware sends). Every message is a new
//     order with `results` OBX (glucose, creatinine, ALT, ...) for one of `patients` patients.
//     --register first sends one ADT^A04 per patient (not timed), so the results are for
//     registered patients as in a hospital; without it each patient is created provisional
//     by their first result. Prints one line: messages, seconds, messages/s, AA, other, and
//     the latency percentiles.
//     --window W lets each sender pipeline W messages (their ACKs still checked in order); 1,
//     the default, is strict original mode.
//   mllp_load --ack-server --port P
//     Answers every frame with a fixed AA (MSA-2 copied) at once: what the client and the
//     loopback can do without any server work, i.e. the client's own ceiling.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  std::string host = "127.0.0.1";
  int port = 0;
  int connections = 8;
  double seconds = 20;
  int results = 3;
  int patients = 1000;
  int window = 1;  // messages in flight per sender: 1 is original mode
  bool reg = false;
  bool ack_server = false;
  std::string run = "R";
};

int Connect(const Args& a) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(a.port));
  ::inet_pton(AF_INET, a.host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::perror("connect");
    std::exit(1);
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// Reads one frame's payload into `out`; false when the peer closed. `pending` keeps what
// followed the frame.
bool ReadFrame(int fd, std::string& pending, std::string& out) {
  char buf[65536];
  while (true) {
    size_t end = pending.find('\x1c');
    if (end != std::string::npos) {
      size_t start = pending.find('\x0b');
      start = start == std::string::npos || start > end ? 0 : start + 1;
      out.assign(pending, start, end - start);
      size_t next = end + 1;
      if (next < pending.size() && pending[next] == '\r') ++next;
      pending.erase(0, next);
      return true;
    }
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return false;
    pending.append(buf, static_cast<size_t>(n));
  }
}

bool SendAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

std::string Frame(const std::string& message) { return "\x0b" + message + "\x1c\r"; }

std::string Cccd(int patient) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "011%09d", 100000000 + patient);
  return buf;
}

std::string Adt(const Args& a, int patient) {
  std::string id = std::to_string(patient);
  return "MSH|^~\\&|HIS|BVDK_DIENBIEN|HEALTHBOOK|SYT|20240315074512+0700||ADT^A04^ADT_A01|" +
         a.run + "-ADT-" + id + "|P|2.5|||||VNM|UNICODE UTF-8\rEVN|A04|20240315074500+0700\r" +
         "PID|1||BN-" + a.run + "-" + id + "^^^BVDK_DIENBIEN^MR~" + Cccd(patient) +
         "^^^BCA^NI||Nguyễn^Văn An||19800101|M|||Tổ 5^Phường Him Lam^Thành phố Điện Biên "
         "Phủ^Điện Biên^^VNM||0912000000^PRN^CP\rPV1|1|O|KKB^P105^01\r";
}

constexpr const char* kTests[][4] = {
    {"GLU", "Glucose máu", "mmol/L", "3.9-6.4"}, {"CRE", "Creatinin", "umol/L", "44-80"},
    {"ALT", "ALT (GPT)", "U/L", "0-35"},         {"AST", "AST (GOT)", "U/L", "0-35"},
    {"URE", "Urê", "mmol/L", "2.5-7.5"},         {"K", "Kali", "mmol/L", "3.5-5.1"},
};

std::string Oru(const Args& a, int sender, long i) {
  std::string key = a.run + "-" + std::to_string(sender) + "-" + std::to_string(i);
  int patient = static_cast<int>((i * 7919 + sender) % a.patients);
  std::string pid = std::to_string(patient);
  std::string m =
      "MSH|^~\\&|COBAS6000|KHOA_XN|HEALTHBOOK|BVDK_DIENBIEN|20240315093012+0700||"
      "ORU^R01^ORU_R01|" +
      key +
      "|P|2.5.1|||AL|NE|VNM|UNICODE UTF-8\r"
      "PID|1||BN-" +
      a.run + "-" + pid + "^^^BVDK_DIENBIEN^MR~" + Cccd(patient) +
      "^^^BCA^NI||Nguyễn^Văn An||19800101|M\r"
      "OBR|1|O-" +
      key + "^HIS|F-" + key +
      "^LIS|CHEM^Sinh hóa máu^L|||"
      "20240315071500+0700||||||||||||||20240315093000+0700||CH|F\r";
  for (int r = 0; r < a.results; ++r) {
    const auto& t = kTests[r % 6];
    char value[16];
    std::snprintf(value, sizeof value, "%ld.%ld", 3 + (i + r) % 9, (i * 3 + r) % 10);
    m += "OBX|" + std::to_string(r + 1) + "|NM|" + t[0] + "^" + t[1] + "^L||" + value + "|" + t[2] +
         "|" + t[3] + "|N|||F|||20240315091512+0700\r";
  }
  return m;
}

int AckServer(const Args& a) {
  int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(a.port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(lfd, 64)) {
    std::perror("bind");
    return 1;
  }
  while (true) {
    int fd = ::accept(lfd, nullptr, nullptr);
    if (fd < 0) continue;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::thread([fd] {
      std::string pending, msg;
      while (ReadFrame(fd, pending, msg)) {
        size_t p = 0;  // MSH-10 is after the ninth '|'
        for (int k = 0; k < 9 && p != std::string::npos; ++k) p = msg.find('|', p + 1);
        std::string control =
            p == std::string::npos ? "" : msg.substr(p + 1, msg.find('|', p + 1) - p - 1);
        std::string ack = "MSH|^~\\&|HEALTHBOOK|X|COBAS6000|Y|20240315093013+0700||ACK^R01^ACK|A" +
                          control + "|P|2.5.1\rMSA|AA|" + control + "\r";
        if (!SendAll(fd, Frame(ack))) break;
      }
      ::close(fd);
    }).detach();
  }
}

// Sends `messages` and checks each ACK; returns false on the first that is not AA.
bool Register(const Args& a) {
  int fd = Connect(a);
  std::string pending, ack;
  for (int p = 0; p < a.patients; ++p) {
    if (!SendAll(fd, Frame(Adt(a, p))) || !ReadFrame(fd, pending, ack)) return false;
    if (ack.find("MSA|AA") == std::string::npos) {
      std::fprintf(stderr, "registration %d: %s\n", p, ack.c_str());
      return false;
    }
  }
  ::close(fd);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (k == "--host")
      a.host = next();
    else if (k == "--port")
      a.port = std::atoi(next().c_str());
    else if (k == "--connections")
      a.connections = std::atoi(next().c_str());
    else if (k == "--seconds")
      a.seconds = std::atof(next().c_str());
    else if (k == "--results")
      a.results = std::atoi(next().c_str());
    else if (k == "--patients")
      a.patients = std::atoi(next().c_str());
    else if (k == "--run")
      a.run = next();
    else if (k == "--window")
      a.window = std::max(1, std::atoi(next().c_str()));
    else if (k == "--register")
      a.reg = true;
    else if (k == "--ack-server")
      a.ack_server = true;
    else {
      std::fprintf(stderr, "unknown argument %s (see the comment at the top of mllp_load.cpp)\n",
                   k.c_str());
      return 2;
    }
  }
  if (a.port <= 0) {
    std::fprintf(stderr, "--port is required\n");
    return 2;
  }
  if (a.ack_server) return AckServer(a);
  if (a.reg && !Register(a)) return 1;

  std::atomic<bool> stop{false};
  std::atomic<long> aa{0}, other{0};
  std::vector<std::vector<uint32_t>> latencies(static_cast<size_t>(a.connections));
  std::vector<std::thread> threads;
  auto t0 = Clock::now();
  for (int s = 0; s < a.connections; ++s) {
    threads.emplace_back([&, s] {
      int fd = Connect(a);
      std::string pending, ack;
      auto& lat = latencies[static_cast<size_t>(s)];
      std::deque<std::pair<long, Clock::time_point>> in_flight;  // sent, not yet acknowledged
      long next = 0;
      while (true) {
        bool stopping = stop.load(std::memory_order_relaxed);
        if (!stopping && static_cast<int>(in_flight.size()) < a.window) {
          in_flight.emplace_back(next, Clock::now());
          if (!SendAll(fd, Frame(Oru(a, s, next++)))) {
            other++;
            break;
          }
          continue;
        }
        if (in_flight.empty()) break;
        if (!ReadFrame(fd, pending, ack)) {
          other++;
          break;
        }
        auto [i, sent] = in_flight.front();
        in_flight.pop_front();
        lat.push_back(static_cast<uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent).count()));
        std::string control = a.run + "-" + std::to_string(s) + "-" + std::to_string(i);
        if (ack.find("MSA|AA|" + control) != std::string::npos) {
          aa++;
        } else {
          if (other++ < 3) std::fprintf(stderr, "not AA: %s\n", ack.c_str());
        }
      }
      ::close(fd);
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(a.seconds));
  stop = true;
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::vector<uint32_t> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty()
               ? 0.0
               : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))] / 1000.0;
  };
  long total = aa + other;
  std::printf(
      "%ld messages in %.1f s: %.0f messages/s; AA %ld, other %ld; latency ms p50 %.2f "
      "p99 %.2f max %.2f (%d senders, window %d, %d results each)\n",
      total, secs, total / secs, aa.load(), other.load(), pct(0.5), pct(0.99), pct(1.0),
      a.connections, a.window, a.results);
  return other == 0 ? 0 : 1;
}
