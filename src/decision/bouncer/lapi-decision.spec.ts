import { isBannable } from './lapi-decision';

describe(isBannable.name, () => {
  it.each([
    { scope: 'ip', bannable: true },
    { scope: 'range', bannable: true },
    { scope: 'hostname', bannable: false },
    { scope: 'local', bannable: false },
  ] as const)('$scope → $bannable', ({ scope, bannable }) => {
    expect(isBannable({ scope })).toBe(bannable);
  });
});
