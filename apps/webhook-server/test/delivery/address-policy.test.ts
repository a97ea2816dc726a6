import { ipLiteralOf, isForbiddenAddress } from '../../src/delivery/address-policy.js';

describe('isForbiddenAddress', () => {
  test.each([
    '0.0.0.0',
    '10.0.0.5',
    '100.64.0.1',
    '127.0.0.1',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.0.8',
    '192.0.2.1',
    '192.88.99.1',
    '192.168.1.1',
    '198.18.0.1',
    '198.19.255.255',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '::7f00:1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    '64:ff9b:1::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fec0::1',
    'ff02::1',
    '2001::1',
    '2001:db8::1',
    '2002:a00:1::1',
    '3fff::1',
    '::1.0.0.0',
    'not-an-address',
  ])('%s is forbidden', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  test.each([
    '1.1.1.1',
    '8.8.8.8',
    '93.184.215.14',
    '172.32.0.1',
    '100.128.0.1',
    '192.169.0.1',
    '198.20.0.1',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '2a00:1450:4001::1',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('%s is allowed', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe('ipLiteralOf', () => {
  test('normalised IPv4 forms are literals', () => {
    for (const host of ['2130706433', '0x7f.1', '127.1', '0177.0.0.1']) {
      expect(ipLiteralOf(new URL(`http://${host}/`).hostname)).toBe('127.0.0.1');
    }
  });

  test('bracketed IPv6 host is a literal', () => {
    expect(ipLiteralOf(new URL('http://[::ffff:7f00:1]/').hostname)).toBe('::ffff:7f00:1');
  });

  test('DNS name is not a literal', () => {
    expect(ipLiteralOf('hooks.example.com')).toBeUndefined();
  });
});
