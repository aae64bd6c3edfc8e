import { urlPortVariants } from '../../src/security';

describe('urlPortVariants', () => {
  it.each([
    ['https://h.com/v?x=1', ['https://h.com/v?x=1', 'https://h.com:443/v?x=1']],
    ['https://h.com:443/v', ['https://h.com:443/v', 'https://h.com/v']],
    ['http://h.com/v', ['http://h.com/v', 'http://h.com:80/v']],
    ['http://h.com:80/v', ['http://h.com:80/v', 'http://h.com/v']],
    ['HTTPS://h.com/v', ['HTTPS://h.com/v', 'HTTPS://h.com:443/v']],
    ['https://h.com', ['https://h.com', 'https://h.com:443']],
    ['https://h.com?x=1', ['https://h.com?x=1', 'https://h.com:443?x=1']],
    ['https://u:p@h.com/v', ['https://u:p@h.com/v', 'https://u:p@h.com:443/v']],
    ['https://[2001:db8::1]:443/v', ['https://[2001:db8::1]:443/v', 'https://[2001:db8::1]/v']],
    ['https://h.com:8443/v', ['https://h.com:8443/v']],
    ['https://h.com:80/v', ['https://h.com:80/v']],
    ['ftp://h.com/v', ['ftp://h.com/v']],
    ['/relative?x=1', ['/relative?x=1']],
    ['https://h.com/v?next=https://other.com:443/x', ['https://h.com/v?next=https://other.com:443/x', 'https://h.com:443/v?next=https://other.com:443/x']],
  ])('%s', (url, expected) => {
    expect(urlPortVariants(url)).toEqual(expected);
  });
});
