import { describe, expect, it } from 'vitest';
import { textOfHtmlBody } from './email-text';

describe('textOfHtmlBody: the text of an HTML-only email', () => {
  it.each([
    ['paragraphs and entities', '<p>Hello <b>Åsa</b> &amp; co,</p><p>see you</p>', 'Hello Åsa & co,\n\nsee you'],
    ['no style, script or head text', '<html><head><title>T</title><style>p{color:red}</style></head><body><script>alert(1)</script><p>Body</p></body></html>', 'Body'],
    ['lists', '<ul><li>one</li><li>two</li></ul>', ' * one\n * two'],
    ['a link keeps its address unless it is its text', '<a href="https://shop.example/o/1">your order</a> <a href="https://x.example">https://x.example</a>', 'your order [https://shop.example/o/1] https://x.example'],
    ['images (trackers, cid: parts) leave no text', '<p>Hi<img src="https://tracker.example/p.gif" alt=""><img src="cid:logo@x"></p>', 'Hi'],
    ['a layout table keeps its cells apart', '<table><tr><td>Price</td><td>100 kr</td></tr></table>', 'Price   100 kr'],
    ['headings keep their case', '<h1>Offer</h1><p>text</p>', 'Offer\n\ntext'],
  ])('%s', (_name, html, text) => {
    expect(textOfHtmlBody(html)).toBe(text);
  });

  it('stays bounded on deeply nested markup', () => {
    const html = `${'<div>'.repeat(5000)}deep${'</div>'.repeat(5000)}`;
    expect(textOfHtmlBody(html).length).toBeLessThan(100);
  });
});
