// The layer rule, checked by `npm run lint:deps` (part of `npm test`). Layers, top to bottom:
//   cli                         entry points, subcommands, option parsing, exit codes, the command list
//   shell, ui                   the interactive shell (ui: Ink components only)
//   watch, transfer, loadgen    features built on the core
//   core                        session, runner, command-registry types (no UI)
//   influxql, connection, query, write, format, files   the lower layers
// An import may only point down (or stay inside its own layer), and no files import each other
// in a circle.
const lower = '^src/(influxql|connection|query|write|format|files)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files that import each other in a circle cannot be understood, tested or loaded one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lower-layers-import-nothing-above',
      severity: 'error',
      comment: 'influxql, connection, query, write and format know nothing of the core, the features, the shell or the CLI.',
      from: { path: lower },
      to: { path: '^src/(core|watch|transfer|loadgen|shell|ui|cli)/' },
    },
    {
      name: 'core-imports-no-feature-shell-or-cli',
      severity: 'error',
      comment: 'The core (session, runner, registry types) is UI-free: the shell, scripts and watch all build on it.',
      from: { path: '^src/core/' },
      to: { path: '^src/(watch|transfer|loadgen|shell|ui|cli)/' },
    },
    {
      name: 'features-import-no-shell-or-cli',
      severity: 'error',
      comment: 'watch, transfer and loadgen are used by the CLI and the shell, never the other way round.',
      from: { path: '^src/(watch|transfer|loadgen)/' },
      to: { path: '^src/(shell|ui|cli)/' },
    },
    {
      name: 'shell-and-ui-import-no-cli',
      severity: 'error',
      comment: 'The CLI starts the shell; the shell does not reach back into the CLI.',
      from: { path: '^src/(shell|ui)/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'ink-and-react-only-in-ui',
      severity: 'error',
      comment: 'Ink and React load only for an interactive session, through src/ui.',
      from: { path: '^src/', pathNot: '^src/ui/' },
      to: { path: '(^|node_modules/)(ink|react|react-reconciler)(/|$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count too: a cycle of types is still a cycle of ideas.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // ESM-only packages (ink) resolve through their "import" export condition.
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
