import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from './email-html';

const LINK = 'target="_blank" rel="noopener noreferrer nofollow"';
const cidUrl = (contentId: string) => (contentId === 'missing@example.com' ? null : `/inline/${encodeURIComponent(contentId)}`);

const cases: { name: string; html: string; expected: string; blocked?: number }[] = [
  { name: 'script element and its text', html: '<p>Hi</p><script>alert(1)</script>', expected: '<p>Hi</p>' },
  { name: 'img with a broken src and onerror', html: '<img src=x onerror=alert(1)>', expected: '<img />' },
  {
    name: 'tracking pixel',
    html: '<img src="https://t.example.com/open.gif?id=1&amp;u=2" width="1" height="1" alt="">',
    expected: '<img width="1" height="1" alt="" data-remote-src="https://t.example.com/open.gif?id=1&amp;u=2" />',
    blocked: 1,
  },
  {
    name: 'remote images in every spelling: protocol-relative, backslashes, no slashes, upper case, leading space',
    html: '<img src="//cdn.example.com/a.png"><img src="\\\\evil.example.com\\b.png"><img src="http:evil.example.com/c.png"><img src=" HTTPS://x.example/d.png">',
    expected:
      '<img data-remote-src="//cdn.example.com/a.png" /><img data-remote-src="\\\\evil.example.com\\b.png" /><img data-remote-src="http:evil.example.com/c.png" /><img data-remote-src="HTTPS://x.example/d.png" />',
    blocked: 4,
  },
  {
    name: 'javascript: hidden by an entity-encoded tab',
    html: '<a href="jav&#x09;ascript:alert(1)">x</a><a href="&#106;avascript:alert(1)">y</a><a href="vbscript:msgbox(1)">z</a>',
    expected: `<a ${LINK}>x</a><a ${LINK}>y</a><a ${LINK}>z</a>`,
  },
  {
    name: 'links open in a new tab without referrer, whatever the message asked',
    html: '<a href="https://example.com/a?b=1&amp;c=2" target="_self" rel="opener">y</a><a href="mailto:a@example.com">m</a>',
    expected: `<a href="https://example.com/a?b=1&amp;c=2" ${LINK}>y</a><a href="mailto:a@example.com" ${LINK}>m</a>`,
  },
  { name: 'data: link', html: '<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>', expected: `<a ${LINK}>d</a>` },
  {
    name: 'data: images: png kept, svg dropped',
    html: '<img src="data:image/png;base64,iVBORw0KGgo="><img src="data:image/svg+xml;base64,PHN2Zz4=">',
    expected: '<img src="data:image/png;base64,iVBORw0KGgo=" /><img />',
  },
  {
    name: 'SVG with script and onload',
    html: '<svg onload="alert(1)"><script>alert(2)</script><circle r="5"/><foreignObject><p>in svg</p></foreignObject></svg>',
    expected: '<p>in svg</p>',
  },
  {
    name: 'style attribute: url(), expression() and position removed, formatting kept',
    html: '<table><tr><td style="background:url(http://t.example.com/bg.png) #fff; color: red; font-family: &quot;Segoe UI&quot;, Arial; position:fixed; width: expression(alert(1)); background-color: rgb(255, 0, 0); border: 1px solid #ccc !important; background-image: url(//x)">c</td></tr></table>',
    expected: '<table><tr><td style="color:red;font-family:&quot;Segoe UI&quot;, Arial;background-color:rgb(255, 0, 0);border:1px solid #ccc !important">c</td></tr></table>',
  },
  { name: 'CSS escapes', html: '<div style="color: re\\64; background: u\\72l(https://t.example/x)">x</div>', expected: '<div>x</div>' },
  {
    name: 'Outlook conditional comments, VML and o:p',
    html: '<!--[if mso]><v:rect fill="true"><v:fill src="http://x.example/bg.png"/></v:rect><![endif]--><!--[if !mso]><!--><p>modern</p><!--<![endif]--><p class="MsoNormal">Hello<o:p></o:p></p><![if !vml]><img src="cid:logo@example.com"><![endif]>',
    expected: '<p>modern</p><p>Hello</p><img src="/inline/logo%40example.com" />',
  },
  {
    name: 'cid: images rewritten; %-encoded Content-IDs decoded; unknown parts lose their src',
    html: '<img src="cid:image001.png@01D9ABCD.12345678" alt="logo"><img src="CID:part1%40example.com"><img src="cid:missing@example.com">',
    expected: '<img alt="logo" src="/inline/image001.png%4001D9ABCD.12345678" /><img src="/inline/part1%40example.com" /><img />',
  },
  {
    name: 'forms, frames, plugins and head elements',
    html: '<form action="https://phish.example"><input name=p type=password><button>Go</button></form><meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/"><link rel=stylesheet href="https://evil.example/x.css"><iframe src="https://evil.example"></iframe><object data="x.swf"></object><embed src="y.swf">',
    expected: 'Go',
  },
  {
    name: 'whole document: title, style element and body background',
    html: '<html><head><title>Subject line</title><style>body{background:url(https://t.example/x)}</style></head><body background="http://t.example/bg.png" onload="x()"><p>Body</p></body></html>',
    expected: '<p>Body</p>',
  },
  {
    name: 'layout tables keep their presentational attributes, lose ids, classes and handlers',
    html: '<table cellpadding="0" cellspacing="0" border="0" width="600" bgcolor="#ffffff" id="x" class="y"><tr><td align="center" valign="top" width="600" onclick="x()">Cell</td></tr></table>',
    expected: '<table cellpadding="0" cellspacing="0" border="0" width="600" bgcolor="#ffffff"><tr><td align="center" valign="top" width="600">Cell</td></tr></table>',
  },
  {
    name: 'a data-remote-src or srcset from the message itself',
    html: '<img data-remote-src="javascript:alert(1)"><img src="cid:a@example.com" srcset="https://t.example/x 2x">',
    expected: '<img /><img src="/inline/a%40example.com" />',
  },
  {
    name: 'hidden preheader kept, unknown display values dropped',
    html: '<p style="display:none">preheader</p><p style="display: -webkit-box; FONT-SIZE: 12px">x</p>',
    expected: '<p style="display:none">preheader</p><p style="font-size:12px">x</p>',
  },
  {
    name: 'noscript parsing differential',
    html: '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
    expected: '<p title="&lt;/noscript&gt;&lt;img src=x onerror=alert(1)&gt;"></p>',
  },
  {
    name: 'Outlook paragraph styles: capitalized properties kept (lower-cased), mso- properties dropped',
    html: `<p class=MsoNormal style='MARGIN: 0cm 0cm 0pt; font-size:11.0pt;font-family:"Calibri",sans-serif;mso-fareast-language:EN-US'>Hi</p>`,
    expected: '<p style="margin:0cm 0cm 0pt;font-size:11.0pt;font-family:&quot;Calibri&quot;,sans-serif">Hi</p>',
  },
  { name: 'font tags of old clients', html: '<font face="Arial" size="2" color="#333333">Hi</font>', expected: '<font face="Arial" size="2" color="#333333">Hi</font>' },
];

describe('sanitizeEmailHtml', () => {
  it.each(cases)('$name', ({ html, expected, blocked = 0 }) => {
    expect(sanitizeEmailHtml(html, { cidUrl })).toEqual({ html: expected, blockedRemoteImages: blocked, remoteImages: expect.any(Array) });
  });

  it.each(cases)('leaves nothing that runs or loads: $name', ({ html }) => {
    const clean = sanitizeEmailHtml(html, { cidUrl }).html;
    expect(clean).not.toMatch(/<(script|style|svg|iframe|object|embed|form|input|meta|link|base)\b/i);
    // Attribute values are inert text once quoted and escaped; only attribute names matter here.
    expect(clean.replace(/"[^"]*"/g, '""')).not.toMatch(/\son\w+=/i);
    expect(clean).not.toMatch(/javascript:|vbscript:|url\(|expression\(/i);
    expect(clean).not.toMatch(/\ssrc="(?:https?:|\/\/|\\\\)/i);
  });

  it('drops cid: sources when no cidUrl is given', () => {
    expect(sanitizeEmailHtml('<img src="cid:logo@example.com" alt="Logo">')).toEqual({ html: '<img alt="Logo" />', blockedRemoteImages: 0, remoteImages: [] });
  });

  it('lists each blocked source once, in document order: the only URLs the image proxy fetches for the email', () => {
    const html = '<img src="https://b.example/1.png"><img src="https://a.example/2.png"><img src="https://b.example/1.png"><img src="cid:x"><img data-remote-src="https://claimed.example/">';
    expect(sanitizeEmailHtml(html)).toMatchObject({ blockedRemoteImages: 3, remoteImages: ['https://b.example/1.png', 'https://a.example/2.png'] });
  });
});
