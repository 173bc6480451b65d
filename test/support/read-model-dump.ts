import type Database from 'better-sqlite3';

/**
 * Every read-model row in a canonical order: two read stores with the same
 * dump agree. Bookkeeping (checkpoints, schema fingerprints) is not a read
 * model. R*Tree shadow tables (`*_node`, `*_rowid`, `*_parent`) are
 * left out: their layout depends on insertion history, their virtual table's
 * rows (dumped like any other) do not.
 */
export function dumpReadModels(db: Database.Database, namePattern = '%'): string {
  const tables = db
    .prepare(
      `SELECT name FROM sqlite_master
       WHERE type = 'table' AND name NOT IN ('checkpoints', 'projection_schemas') AND name LIKE ?
         AND name NOT GLOB '*_node' AND name NOT GLOB '*_rowid' AND name NOT GLOB '*_parent'
       ORDER BY name`,
    )
    .all(namePattern) as Array<{ name: string }>;
  return JSON.stringify(
    tables.map(({ name }) => [name, db.prepare(`SELECT * FROM ${name} ORDER BY 1, 2, 3`).all()]),
  );
}
