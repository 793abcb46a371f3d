// Cube's SQL for a list of REST queries, compiled by Cube's own schema compiler and DuckDB
// dialect from model/*.yml (no database, no native module needed). Reads a JSON array of
// Cube queries on stdin, writes a JSON array of [sql, params] to stdout. Used by
// benchmarks/cube_peer.py to check the data model, and to time Cube's SQL in DuckDB, where
// the Cube server itself cannot start (see that file).
'use strict';
const { FileRepository } = require('@cubejs-backend/shared');
const { compile, createQuery } = require('@cubejs-backend/schema-compiler');
const { DuckDBDriver } = require('@cubejs-backend/duckdb-driver');

async function main() {
  process.chdir(__dirname); // FileRepository reads paths relative to the working directory
  const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  // The model is JavaScript, so the compiler needs no Jinja engine (a native-module object);
  // this stand-in fails loudly if anything asks for one.
  const noJinja = {
    newJinjaEngine: () => new Proxy({}, { get: () => { throw new Error('no Jinja without the native module'); } }),
  };
  const compilers = await compile(new FileRepository('model'), {
    nativeInstance: noJinja,
  });
  const out = input.map((query) => {
    const built = createQuery(compilers, 'duckdb', {
      ...query,
      dialectClass: DuckDBDriver.dialectClass(),
      useNativeSqlPlanner: false, // the Rust planner (Tesseract) is in the native module
    });
    return built.buildSqlAndParams();
  });
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => { console.error(e); process.exit(1); });
