#!/usr/bin/env node
/*
 * Build the native core's unit tests (native/tests) with AddressSanitizer
 * and UndefinedBehaviorSanitizer in build/native-tests, and run them.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const build = join(root, 'build', 'native-tests');

function must(cmd, args, env = process.env) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

must('cmake', ['-S', root, '-B', build, '-DVIRT_KVM_SANITIZE=ON', '-DCMAKE_BUILD_TYPE=Debug']);
must('cmake', ['--build', build, '--parallel']);
// halt on the first report, and leaks count as failures
must(join(build, 'virt_kvm_tests'), [], { ...process.env, ASAN_OPTIONS: 'halt_on_error=1:detect_leaks=1', UBSAN_OPTIONS: 'print_stacktrace=1' });
