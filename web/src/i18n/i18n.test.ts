import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from './en';
import { formatMessage, initialLang } from './format';
import { vi } from './vi';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('formats placeholders and leaves unknown ones', () => {
    assert.equal(formatMessage('Còn {n} người chờ', { n: 3 }), 'Còn 3 người chờ');
    assert.equal(formatMessage('{a} và {b}', { a: 'x' }), 'x và {b}');
    assert.equal(formatMessage('không có'), 'không có');
  });
  it('starts in Vietnamese unless English was chosen', () => {
    assert.equal(initialLang(null), 'vi');
    assert.equal(initialLang('fr'), 'vi');
    assert.equal(initialLang('en'), 'en');
  });
  it('has the same keys and placeholders in both dictionaries, none empty', () => {
    assert.deepEqual(Object.keys(en).sort(), Object.keys(vi).sort());
    for (const [k, v] of Object.entries(vi)) {
      const e = en[k as keyof typeof vi];
      assert.ok(v.trim() && e.trim(), k);
      assert.deepEqual(placeholders(e), placeholders(v), k);
    }
  });
  it('keeps the required Vietnamese wording', () => {
    const all: string[] = Object.values(vi);
    for (const s of ['Đăng nhập', 'Tiếp đón', 'Quét mã CCCD/BHYT', 'Số thứ tự', 'Bắt đầu khám', 'Tìm người bệnh', 'Tỉnh/Thành phố', 'Quận/Huyện', 'Xã/Phường']) {
      assert.ok(all.includes(s), s);
    }
    for (const s of all) assert.equal(s, s.normalize('NFC'));
  });
});
