/**
 * Rules on imports between files, read by scripts/module-graph.mjs (npm run deps:check), which
 * also checks what these rules cannot: that no two modules (a module = a folder under src/)
 * import each other, however indirectly.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-at-the-bottom',
      severity: 'error',
      comment: 'src/domain holds the types every module shares: it imports no other folder of src/ (nor a test).',
      from: { path: '^src/domain/' },
      to: { path: '^(src/(?!domain/)|test/)' },
    },
    {
      name: 'domain-stays-pure',
      severity: 'error',
      comment: 'src/domain imports node built-ins and ipaddr.js only (its tests, their test tools too).',
      from: { path: '^src/domain/', pathNot: '\\.spec\\.ts$' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: '^node_modules/ipaddr\\.js/',
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve would be missing from the module graph.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(test|bench|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
  },
};
