#include <cstdlib>

#include "check.h"

namespace virt_kvm::testing {

static int failures = 0;

std::vector<TestCase>& Registry() {
  static std::vector<TestCase> tests;
  return tests;
}

void Fail(const char* file, int line, const std::string& what) {
  std::fprintf(stderr, "  %s:%d: %s\n", file, line, what.c_str());
  failures++;
}

}  // namespace virt_kvm::testing

int main(int argc, char** argv) {
  using namespace virt_kvm::testing;
  int failed_tests = 0, run = 0;
  for (const TestCase& test : Registry()) {
    if (argc > 1 && std::string(argv[1]) != test.name) continue;
    int before = failures;
    test.body();
    run++;
    bool ok = failures == before;
    if (!ok) failed_tests++;
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", test.name);
  }
  std::printf("%d tests, %d failed\n", run, failed_tests);
  return failed_tests ? EXIT_FAILURE : EXIT_SUCCESS;
}
