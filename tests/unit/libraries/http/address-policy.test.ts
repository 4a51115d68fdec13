import {
  forbiddenAddressReason,
  forbiddenHostnameReason,
} from '../../../../src/libraries/http/address-policy.js';

describe('forbiddenAddressReason', () => {
  it.each([
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /unspecified/],
    ['10.0.0.1', /private/],
    ['10.255.255.255', /private/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.254', /carrier-grade NAT/],
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['169.254.169.254', /link-local/],
    ['172.16.0.1', /private/],
    ['172.31.255.254', /private/],
    ['192.0.0.8', /IETF/],
    ['192.0.2.1', /documentation/],
    ['192.88.99.1', /6to4/],
    ['192.168.1.1', /private/],
    ['198.18.0.1', /benchmarking/],
    ['198.51.100.7', /documentation/],
    ['203.0.113.9', /documentation/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['240.0.0.1', /reserved/],
    ['255.255.255.255', /reserved/],
    ['::', /unspecified/],
    ['::1', /loopback/],
    ['[::1]', /loopback/],
    ['::ffff:127.0.0.1', /IPv4-mapped loopback/],
    ['::ffff:7f00:1', /IPv4-mapped loopback/],
    ['::ffff:10.1.2.3', /IPv4-mapped private/],
    ['::ffff:169.254.169.254', /IPv4-mapped link-local/],
    ['::127.0.0.1', /./],
    ['::ffff:0:7f00:1', /./],
    ['64:ff9b::7f00:1', /NAT64 of loopback/],
    ['64:ff9b::10.0.0.1', /NAT64 of private/],
    ['64:ff9b:1::a00:1', /./],
    ['2002:7f00:1::1', /6to4/],
    ['2002:a00:1::1', /6to4/],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', /Teredo/],
    ['2001:db8::1', /documentation/],
    ['3fff::1', /documentation/],
    ['fe80::1', /linkLocal/],
    ['febf:ffff::1', /linkLocal/],
    ['fec0::1', /./],
    ['fc00::1', /uniqueLocal/],
    ['fd00:ec2::254', /uniqueLocal/],
    ['ff02::1', /multicast/],
    ['100::1', /./],
    ['fe80::1%eth0', /scoped/],
    ['2130706433', /not an IP/],
    ['0177.0.0.1', /not an IP/],
    ['0x7f.1', /not an IP/],
    ['127.1', /not an IP/],
    ['localhost', /not an IP/],
  ])('When the address is %s, then it is refused', (address, reason) => {
    expect(forbiddenAddressReason(address)).toMatch(reason);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.215.14',
    '100.63.255.255',
    '100.128.0.1',
    '172.15.255.255',
    '172.32.0.1',
    '192.167.255.255',
    '192.169.0.1',
    '223.255.255.254',
    '2606:4700:4700::1111',
    '2a00:1450:4007:80e::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('When the address %s is public unicast, then it is allowed', (address) => {
    expect(forbiddenAddressReason(address)).toBeUndefined();
  });
});

describe('forbiddenHostnameReason', () => {
  it.each([
    ['localhost', /localhost/],
    ['LOCALHOST.', /localhost/],
    ['api.localhost', /localhost/],
    ['printer.local', /local network/],
    ['metadata.google.internal', /local network/],
    ['nas.home.arpa', /local network/],
    ['metadata', /single-label/],
    ['', /empty/],
  ])('When the host name is "%s", then it is refused before any DNS query', (name, reason) => {
    expect(forbiddenHostnameReason(name)).toMatch(reason);
  });

  it.each(['example.org', 'badges.roubaix.fr', 'example.org.', '127.0.0.1.nip.io'])(
    'When the host name is %s, then the decision is left to its resolved addresses',
    (name) => {
      expect(forbiddenHostnameReason(name)).toBeUndefined();
    },
  );
});
