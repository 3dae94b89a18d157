// A minimal test runner for the native core: TEST registers a function,
// CHECK records a failure with its location and carries on. Built with
// ASan and UBSan by scripts/native-tests.mjs.
#pragma once

#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace virt_kvm::testing {

struct TestCase {
  const char* name;
  std::function<void()> body;
};

std::vector<TestCase>& Registry();
void Fail(const char* file, int line, const std::string& what);

struct Registrar {
  Registrar(const char* name, std::function<void()> body) { Registry().push_back({name, std::move(body)}); }
};

template <typename A, typename B>
void CheckEqual(const A& a, const B& b, const char* as, const char* bs, const char* file, int line) {
  if (a == b) return;
  std::ostringstream out;
  out << as << " == " << bs << " (" << +a << " vs " << +b << ")";
  Fail(file, line, out.str());
}

}  // namespace virt_kvm::testing

#define TEST(name)                                                                   \
  static void name();                                                                \
  static ::virt_kvm::testing::Registrar registrar_##name(#name, name);               \
  static void name()

#define CHECK(cond) \
  do {              \
    if (!(cond)) ::virt_kvm::testing::Fail(__FILE__, __LINE__, #cond); \
  } while (0)

#define CHECK_EQ(a, b) ::virt_kvm::testing::CheckEqual((a), (b), #a, #b, __FILE__, __LINE__)

#define CHECK_THROWS(expr)                                                   \
  do {                                                                       \
    bool thrown = false;                                                     \
    try {                                                                    \
      expr;                                                                  \
    } catch (...) {                                                          \
      thrown = true;                                                         \
    }                                                                        \
    if (!thrown) ::virt_kvm::testing::Fail(__FILE__, __LINE__, #expr " throws"); \
  } while (0)
