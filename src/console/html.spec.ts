import { escapeHtml, html, queryString } from './html';

describe(html.name, () => {
  it.each([
    {
      name: 'a script tag',
      value: '<script>alert(1)</script>',
      expected: '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    },
    { name: 'an attribute breakout', value: '" onmouseover="x', expected: '<p>&quot; onmouseover=&quot;x</p>' },
    { name: 'single quotes and backticks', value: "'`", expected: '<p>&#39;&#96;</p>' },
    { name: 'an ampersand entity', value: '&lt;', expected: '<p>&amp;lt;</p>' },
    { name: 'a number', value: 42, expected: '<p>42</p>' },
    { name: 'null', value: null, expected: '<p></p>' },
    { name: 'false', value: false, expected: '<p></p>' },
  ])('escapes $name', ({ value, expected }) => {
    expect(html`<p>${value}</p>`.text).toBe(expected);
  });

  it('keeps nested Html as is and escapes every item of an array', () => {
    const items = ['<a>', 'b&c'].map((item) => html`<li>${item}</li>`);
    const list = html`<ul>
      ${items}
    </ul>`;
    // (prettier lays out html-tagged templates; the whitespace it adds is not the point)
    expect(list.text.replace(/\s+/g, '')).toBe('<ul><li>&lt;a&gt;</li><li>b&amp;c</li></ul>');
  });

  it('never passes a plain string through unescaped, whatever it looks like', () => {
    const fake = { text: '<b>' } as unknown as string;
    expect(html`${String(fake)}`.text).toBe('[object Object]');
    expect(escapeHtml('<b>')).toBe('&lt;b&gt;');
  });
});

describe(queryString.name, () => {
  it.each([
    { input: {}, expected: '' },
    { input: { value: '203.0.113.7', rule: '' }, expected: '?value=203.0.113.7' },
    { input: { value: 'a&b=c', page: 2 }, expected: '?value=a%26b%3Dc&page=2' },
  ])('$expected', ({ input, expected }) => {
    expect(queryString(input)).toBe(expected);
  });
});
