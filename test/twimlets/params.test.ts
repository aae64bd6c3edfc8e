import { PhpParams, phpUrlencode, stripslashes } from '../../src/twimlets/params';

const parse = (query: string) => PhpParams.fromPairs(new URLSearchParams(query));

describe('PhpParams (PHP request-variable rules)', () => {
  test('[] appends after the highest integer key; explicit keys keep arrival order', () => {
    expect(parse('a[]=x&a[5]=y&a[]=z&a[k]=w').array('a')).toEqual([['0', 'x'], ['5', 'y'], ['6', 'z'], ['k', 'w']]);
  });

  test('a repeated key keeps its first position and its last value', () => {
    expect(parse('a[1]=x&a[0]=y&a[1]=z').array('a')).toEqual([['1', 'z'], ['0', 'y']]);
  });

  test('a later scalar replaces an array and the reverse', () => {
    expect(parse('a[]=x&a=y').str('a')).toBe('y');
    expect(parse('a=y&a[]=x').array('a')).toEqual([['0', 'x']]);
  });

  test('list(): scalar as one element, empty and "0" entries dropped (array_filter)', () => {
    expect(parse('n=1').list('n')).toEqual(['1']);
    expect(parse('n[]=1&n[]=&n[]=0&n[]=2').list('n')).toEqual(['1', '2']);
    expect(parse('').list('n')).toEqual([]);
  });

  test('merge: POST keys replace query keys (request_order GP)', () => {
    const merged = PhpParams.merge(parse('Digits=1&Message=hi'), PhpParams.fromPairs([['Digits', '2']]));
    expect([merged.str('Digits'), merged.str('Message'), merged.has('Nope')]).toEqual(['2', 'hi', false]);
  });

  test('phpUrlencode matches PHP urlencode', () => {
    expect(phpUrlencode("Custom message ~!*'()@/:&=+")).toBe('Custom+message+%7E%21%2A%27%28%29%40%2F%3A%26%3D%2B');
    expect(phpUrlencode('https://example.com/please-try-later.mp3')).toBe('https%3A%2F%2Fexample.com%2Fplease-try-later.mp3');
  });

  test('stripslashes', () => {
    expect(stripslashes("It\\'s \\\\ ok\\")).toBe("It's \\ ok");
  });
});
