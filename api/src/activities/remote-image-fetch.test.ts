import { describe, expect, it } from 'vitest';
import { isPublicAddress, remoteImageUrl } from './remote-image-fetch';

describe('what the image proxy may reach', () => {
  it.each([
    ['93.184.215.14', true],
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['64:ff9b::7f00:1', false],
    ['2002:7f00:1::', false],
    ['not an address', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('fetches http(s) only, a protocol-relative source as https, never with credentials in the URL', () => {
    expect(remoteImageUrl('//cdn.example.com/a.png').toString()).toBe('https://cdn.example.com/a.png');
    expect(remoteImageUrl('http://cdn.example.com/a.png').protocol).toBe('http:');
    for (const source of ['ftp://cdn.example.com/a.png', 'file:///etc/passwd', 'data:image/png;base64,AAAA', 'gopher://x/', 'https://user:pw@cdn.example.com/a.png', 'not a url']) {
      expect(() => remoteImageUrl(source), source).toThrow(expect.objectContaining({ code: 'NOT_ALLOWED' }));
    }
  });
});
