// Bundled and run by scripts/build.mjs: prints dist/routes.json for bin/influxsh.
import { buildProgram } from '../src/cli/program.js';
import { launcherRoutes } from '../src/cli/routes.js';

process.stdout.write(JSON.stringify(launcherRoutes(buildProgram())) + '\n');
