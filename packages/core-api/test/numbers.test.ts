import { describe, expect, it } from 'vitest';
import { ErrorCode, scaleInteger, strToInt, ULLONG_MAX, VirtError } from '../src/index.js';

describe('strToInt', () => {
  it('follows strtol with libvirt checks', () => {
    expect(strToInt('42', 'i')?.value).toBe(42n);
    expect(strToInt(' +7', 'i')?.value).toBe(7n);
    expect(strToInt('010', 'i')?.value).toBe(10n);
    expect(strToInt('0x10', 'i', 0)?.value).toBe(16n);
    expect(strToInt('010', 'i', 0)?.value).toBe(8n);
    expect(strToInt('', 'i')).toBeUndefined();
    expect(strToInt('12a', 'i')).toBeUndefined();
    expect(strToInt('2147483648', 'i')).toBeUndefined();
    expect(strToInt('-2147483648', 'i')?.value).toBe(-2147483648n);
  });

  it('wraps or rejects negative unsigned values like virStrToLong_ui / _uip', () => {
    expect(strToInt('-1', 'ui')?.value).toBe(0xffffffffn);
    expect(strToInt('-1', 'uip')).toBeUndefined();
    expect(strToInt('-1', 'ull')?.value).toBe(ULLONG_MAX);
    expect(strToInt('-0', 'ullp')).toBeUndefined();
    expect(strToInt('18446744073709551616', 'ull')).toBeUndefined();
  });

  it('can leave a suffix for the caller', () => {
    expect(strToInt('10MiB', 'ullp', 10, true)).toEqual({ value: 10n, end: 2 });
  });
});

describe('scaleInteger', () => {
  it('scales by libvirt suffixes', () => {
    expect(scaleInteger(1n, '', 1024n, ULLONG_MAX)).toBe(1024n);
    expect(scaleInteger(1n, 'b', 1024n, ULLONG_MAX)).toBe(1n);
    expect(scaleInteger(1n, 'KiB', 1n, ULLONG_MAX)).toBe(1024n);
    expect(scaleInteger(1n, 'k', 1n, ULLONG_MAX)).toBe(1024n);
    expect(scaleInteger(1n, 'KB', 1n, ULLONG_MAX)).toBe(1000n);
    expect(scaleInteger(2n, 'G', 1n, ULLONG_MAX)).toBe(2n * 1024n ** 3n);
    expect(scaleInteger(1n, 'EiB', 1n, ULLONG_MAX)).toBe(1024n ** 6n);
  });

  it('raises libvirt errors for bad suffixes and overflow', () => {
    expect(() => scaleInteger(1n, 'X', 1n, ULLONG_MAX)).toThrow("invalid argument: unknown suffix 'X'");
    try {
      scaleInteger(99999999999n, 'T', 1n, ULLONG_MAX);
    } catch (e) {
      expect((e as VirtError).code).toBe(ErrorCode.OVERFLOW);
      expect((e as VirtError).message).toBe('numerical overflow: value too large: 99999999999T');
    }
  });
});
