import { describe, expect, it } from 'vitest';
import { readerChannels, readerEventChannels, readerMethods } from '../../core/ipc/contract';
import { AppException, failure, isResult, success } from '../../core/ipc/result';

describe('contract', () => {
  it('spells every channel as reader:<method>', () => {
    expect(readerMethods.length).toBeGreaterThan(0);
    for (const m of readerMethods) expect(readerChannels[m]).toBe(`reader:${m}`);
    expect(new Set(Object.values(readerChannels)).size).toBe(readerMethods.length);
  });

  it('spells event channels as reader:on<Event>', () => {
    for (const [name, channel] of Object.entries(readerEventChannels)) {
      expect(channel).toBe(`reader:on${name[0]!.toUpperCase()}${name.slice(1)}`);
    }
  });
});

describe('Result', () => {
  it.each([
    [success(1), true],
    [success(undefined), true],
    [failure('DB', 'x'), true],
    [{ ok: false, error: { code: 'NOPE', message: 'x' } }, false],
    [{ ok: false, error: { code: 'DB' } }, false],
    [{ ok: true }, false],
    [null, false],
    ['ok', false],
  ])('isResult(%j) = %s', (value, expected) => {
    expect(isResult(value)).toBe(expected);
  });

  it('keeps the code on AppException', () => {
    const e = new AppException('NOT_FOUND', 'gone', { cause: new Error('inner') });
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toBe('gone');
    expect(e).toBeInstanceOf(Error);
  });
});
