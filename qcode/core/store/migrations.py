"""The project file's schema as numbered, one-way migration steps.

`PRAGMA user_version` is the number of steps applied. A step never probes for columns: it knows exactly
which schema it starts from. Each step runs in its own transaction together with the new user_version.
A new schema change is a new step appended to `STEPS`; old steps are never edited.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable

Step = Callable[[sqlite3.Connection], None]


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute several statements inside the caller's transaction.

    `executescript` would commit the open transaction first, which would break a step's atomicity.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement.strip()[:80]}")


def step_001_initial(conn: sqlite3.Connection) -> None:
    """The first schema: everything DESIGN.md lists, plus the maintained frequency aggregates."""
    run_script(
        conn,
        """
        CREATE TABLE project (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE TABLE coder (
            id    INTEGER PRIMARY KEY,
            name  TEXT NOT NULL UNIQUE COLLATE NOCASE,
            color TEXT NOT NULL
        );

        CREATE TABLE folder (
            id        INTEGER PRIMARY KEY,
            parent_id INTEGER REFERENCES folder(id) ON DELETE CASCADE,
            name      TEXT NOT NULL,
            position  INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX folder_name ON folder(coalesce(parent_id, 0), name COLLATE NOCASE);

        CREATE TABLE source (
            id            INTEGER PRIMARY KEY,
            name          TEXT NOT NULL,
            kind          TEXT NOT NULL,
            text          TEXT NOT NULL,
            length        INTEGER NOT NULL,
            sha256        TEXT NOT NULL,
            original_name TEXT NOT NULL DEFAULT '',
            imported_at   TEXT NOT NULL,
            folder_id     INTEGER REFERENCES folder(id) ON DELETE CASCADE,
            position      INTEGER NOT NULL DEFAULT 0,
            meta          TEXT NOT NULL DEFAULT '{}'
        );
        CREATE UNIQUE INDEX source_name ON source(coalesce(folder_id, 0), name COLLATE NOCASE);
        CREATE INDEX source_sha ON source(sha256);
        CREATE INDEX source_folder ON source(folder_id);

        CREATE TABLE span (
            id        INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
            kind      TEXT NOT NULL,
            start     INTEGER NOT NULL,
            "end"     INTEGER NOT NULL,
            value     TEXT,
            CHECK (start >= 0 AND "end" >= start)
        );
        CREATE INDEX span_lookup ON span(source_id, kind, start);

        CREATE TABLE code (
            id         INTEGER PRIMARY KEY,
            parent_id  INTEGER REFERENCES code(id),
            name       TEXT NOT NULL,
            color      TEXT NOT NULL,
            definition TEXT NOT NULL DEFAULT '',
            inclusion  TEXT NOT NULL DEFAULT '',
            exclusion  TEXT NOT NULL DEFAULT '',
            example    TEXT NOT NULL DEFAULT '',
            position   INTEGER NOT NULL DEFAULT 0,
            guid       TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX code_name ON code(coalesce(parent_id, 0), name COLLATE NOCASE);

        -- every (ancestor, descendant) pair of the code tree, each code being its own ancestor at depth 0
        CREATE TABLE code_closure (
            ancestor_id INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
            code_id     INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
            depth       INTEGER NOT NULL,
            PRIMARY KEY (ancestor_id, code_id)
        ) WITHOUT ROWID;
        CREATE INDEX code_closure_code ON code_closure(code_id, ancestor_id);

        CREATE TABLE coding (
            id         INTEGER PRIMARY KEY,
            source_id  INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
            code_id    INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
            coder_id   INTEGER NOT NULL REFERENCES coder(id),
            start      INTEGER NOT NULL,
            "end"      INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            guid       TEXT NOT NULL UNIQUE,
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX coding_source ON coding(source_id, start, "end");
        CREATE INDEX coding_code ON coding(code_id, source_id, start, "end");
        CREATE INDEX coding_coder ON coding(coder_id);

        -- per (code, source): coding rows and coded characters (union of ranges), for the code alone
        -- (tree = 0) and with its descendants (tree = 1); kept current in the transaction of each change
        CREATE TABLE code_source_stat (
            tree       INTEGER NOT NULL,
            code_id    INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
            source_id  INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
            excerpts   INTEGER NOT NULL,
            characters INTEGER NOT NULL,
            PRIMARY KEY (tree, code_id, source_id)
        ) WITHOUT ROWID;
        CREATE INDEX code_source_stat_source ON code_source_stat(source_id);

        -- per (code, case): the codings that overlap one of the case's members (their rows, sources and
        -- characters), for the code alone (tree 0) and with descendants (tree 1)
        CREATE TABLE code_case_stat (
            tree       INTEGER NOT NULL,
            code_id    INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
            case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            excerpts   INTEGER NOT NULL,
            sources    INTEGER NOT NULL,
            characters INTEGER NOT NULL,
            PRIMARY KEY (tree, code_id, case_id)
        ) WITHOUT ROWID;
        CREATE INDEX code_case_stat_case ON code_case_stat(case_id);

        -- per code: the totals of the two tables above, the unfiltered frequency table itself
        CREATE TABLE code_stat (
            tree       INTEGER NOT NULL,
            code_id    INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
            excerpts   INTEGER NOT NULL,
            sources    INTEGER NOT NULL,
            cases      INTEGER NOT NULL,
            characters INTEGER NOT NULL,
            PRIMARY KEY (tree, code_id)
        ) WITHOUT ROWID;

        CREATE TABLE memo (
            id          INTEGER PRIMARY KEY,
            target_kind TEXT NOT NULL
                CHECK (target_kind IN ('project', 'source', 'code', 'coding', 'case', 'range')),
            target_id   INTEGER,
            source_id   INTEGER REFERENCES source(id) ON DELETE CASCADE,
            start       INTEGER,
            "end"       INTEGER,
            text        TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            coder_id    INTEGER REFERENCES coder(id)
        );
        CREATE UNIQUE INDEX memo_target ON memo(target_kind, coalesce(target_id, 0))
            WHERE target_kind != 'range';
        CREATE INDEX memo_source ON memo(source_id, start);

        CREATE TABLE cases (
            id   INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            guid TEXT NOT NULL UNIQUE
        );

        CREATE TABLE case_member (
            id        INTEGER PRIMARY KEY,
            case_id   INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
            start     INTEGER,
            "end"     INTEGER,
            CHECK ((start IS NULL AND "end" IS NULL) OR (start >= 0 AND "end" > start))
        );
        CREATE INDEX case_member_source ON case_member(source_id, case_id);
        CREATE INDEX case_member_case ON case_member(case_id);

        CREATE TABLE attribute (
            id       INTEGER PRIMARY KEY,
            name     TEXT NOT NULL,
            type     TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'choice')),
            scope    TEXT NOT NULL CHECK (scope IN ('case', 'source')),
            choices  TEXT NOT NULL DEFAULT '[]',
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX attribute_name ON attribute(scope, name COLLATE NOCASE);

        CREATE TABLE attribute_value (
            attribute_id INTEGER NOT NULL REFERENCES attribute(id) ON DELETE CASCADE,
            owner_id     INTEGER NOT NULL,
            value        ANY NOT NULL,
            PRIMARY KEY (attribute_id, owner_id)
        ) WITHOUT ROWID;
        CREATE INDEX attribute_value_owner ON attribute_value(owner_id);

        -- memos and attribute values point at their owner by kind + id, so their owners clean them up
        CREATE TRIGGER source_cleanup AFTER DELETE ON source BEGIN
            DELETE FROM memo WHERE target_kind = 'source' AND target_id = old.id;
            DELETE FROM attribute_value WHERE owner_id = old.id
                AND attribute_id IN (SELECT id FROM attribute WHERE scope = 'source');
        END;
        CREATE TRIGGER code_cleanup AFTER DELETE ON code BEGIN
            DELETE FROM memo WHERE target_kind = 'code' AND target_id = old.id;
        END;
        CREATE TRIGGER coding_cleanup AFTER DELETE ON coding BEGIN
            DELETE FROM memo WHERE target_kind = 'coding' AND target_id = old.id;
        END;
        CREATE TRIGGER case_cleanup AFTER DELETE ON cases BEGIN
            DELETE FROM memo WHERE target_kind = 'case' AND target_id = old.id;
            DELETE FROM attribute_value WHERE owner_id = old.id
                AND attribute_id IN (SELECT id FROM attribute WHERE scope = 'case');
        END;

        -- full-text index over source text, kept in sync by triggers
        CREATE VIRTUAL TABLE source_fts USING fts5(
            text, content='source', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER source_fts_insert AFTER INSERT ON source BEGIN
            INSERT INTO source_fts(rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER source_fts_delete AFTER DELETE ON source BEGIN
            INSERT INTO source_fts(source_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        CREATE TRIGGER source_fts_update AFTER UPDATE OF text ON source BEGIN
            INSERT INTO source_fts(source_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO source_fts(rowid, text) VALUES (new.id, new.text);
        END;
        """
    )


def step_002_code_value_stat(conn: sqlite3.Connection) -> None:
    """Frequencies by a case attribute's values, kept current like the other aggregates."""
    run_script(
        conn,
        """
        -- per (case attribute value, code): the sums of code_case_stat over the cases holding that value
        -- (excerpts, sources and characters summed, cases counted), for the code alone (tree 0) and with its
        -- descendants (tree 1); exact for a value whose cases share no source, which readers check
        CREATE TABLE code_value_stat (
            attribute_id INTEGER NOT NULL REFERENCES attribute(id) ON DELETE CASCADE,
            value        ANY NOT NULL,
            tree         INTEGER NOT NULL,
            code_id      INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
            excerpts     INTEGER NOT NULL,
            sources      INTEGER NOT NULL,
            cases        INTEGER NOT NULL,
            characters   INTEGER NOT NULL,
            PRIMARY KEY (attribute_id, value, tree, code_id)
        ) WITHOUT ROWID;
        CREATE INDEX code_value_stat_code ON code_value_stat(code_id);

        INSERT INTO code_value_stat(attribute_id, value, tree, code_id, excerpts, sources, cases, characters)
        SELECT v.attribute_id, v.value, k.tree, k.code_id, sum(k.excerpts), sum(k.sources), count(*),
               sum(k.characters)
        FROM attribute_value v
        JOIN attribute a ON a.id = v.attribute_id AND a.scope = 'case'
        JOIN code_case_stat k ON k.case_id = v.owner_id
        GROUP BY v.attribute_id, v.value, k.tree, k.code_id;
        """,
    )


def step_003_member_ranges(conn: sqlite3.Connection) -> None:
    """Find the case members overlapping a range without scanning the source's other members."""
    conn.execute("CREATE INDEX case_member_range ON case_member(source_id, start)")


def step_004_name_register(conn: sqlite3.Connection) -> None:
    """The name register: terms and the pseudonyms a pseudonymised export writes instead of them."""
    run_script(
        conn,
        """
        CREATE TABLE name_register (
            id         INTEGER PRIMARY KEY,
            term       TEXT NOT NULL UNIQUE COLLATE NOCASE,
            pseudonym  TEXT NOT NULL,
            enabled    INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        """,
    )


#: the tables that gain a stable identifier in step 5 (codes, codings and cases have one from step 1)
GUID_TABLES = ("source", "coder", "memo", "folder", "attribute")


def step_005_exchange_guids(conn: sqlite3.Connection) -> None:
    """Stable identifiers for sources, coders, memos, folders and attributes, so that exchange files
    (REFI-QDA) keep each object's identity across repeated exports and imports.

    Rows already there get a random one (a coder one derived from the project's identity, see below). New rows
    get theirs from the store's insert functions, which the Project gives the store's source of identifiers (so
    reproducible builds stay reproducible). No trigger calls back into Python for it: a Python function run by
    SQLite while another thread waits on the same connection deadlocks.
    """
    row = conn.execute("SELECT value FROM project WHERE key = 'guid'").fetchone()
    project_guid = row[0] if row else ""
    for table in GUID_TABLES:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN guid TEXT NOT NULL DEFAULT ''")
        if table == "coder":
            # a coder's identity is derived from the project's and the coder's own, so that copies of one project
            # upgraded apart give each coder the same identity, and merging the copies matches them
            coders = conn.execute("SELECT id, name FROM coder").fetchall()
            conn.executemany("UPDATE coder SET guid = ? WHERE id = ?", [
                (str(uuid.uuid5(uuid.NAMESPACE_URL, f"qcode:{project_guid}:coder:{coder_id}:{name}")).upper(),
                 coder_id) for coder_id, name in coders])
        else:
            rows = conn.execute(f"SELECT id FROM {table}").fetchall()
            conn.executemany(f"UPDATE {table} SET guid = ? WHERE id = ?",
                             [(str(uuid.uuid4()).upper(), row_id) for (row_id,) in rows])
        conn.execute(f"CREATE UNIQUE INDEX {table}_guid ON {table}(guid)")


def step_006_analysis_storage(conn: sqlite3.Connection) -> None:
    """What the analyses read: covering indexes on codings by coder and code and on the per-source aggregates
    by source, and the per-(code, coder, source) aggregates (tables filtered to a coder, or by coder)."""
    run_script(
        conn,
        """
        CREATE INDEX coding_coder_code ON coding(coder_id, code_id, source_id, start, "end");
        CREATE INDEX code_source_stat_cover ON code_source_stat(source_id, tree, code_id, excerpts, characters);

        -- per (code, coder, source): one coder's coding rows and coded characters (union of ranges), for the
        -- code alone (tree 0) and with its descendants (tree 1); kept current like code_source_stat
        CREATE TABLE code_coder_stat (
            tree       INTEGER NOT NULL,
            code_id    INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
            coder_id   INTEGER NOT NULL REFERENCES coder(id) ON DELETE CASCADE,
            source_id  INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
            excerpts   INTEGER NOT NULL,
            characters INTEGER NOT NULL,
            PRIMARY KEY (tree, code_id, coder_id, source_id)
        ) WITHOUT ROWID;
        CREATE INDEX code_coder_stat_coder ON code_coder_stat(coder_id, tree, code_id, source_id, excerpts,
                                                              characters);
        CREATE INDEX code_coder_stat_source ON code_coder_stat(source_id);

        INSERT INTO code_coder_stat(tree, code_id, coder_id, source_id, excerpts, characters)
        SELECT tree, code_id, coder_id, source_id, count(*),
               sum(max(0, "end" - max(start, coalesce(reach, start))))
        FROM (SELECT tree, code_id, coder_id, source_id, start, "end",
                     max("end") OVER (PARTITION BY tree, code_id, coder_id, source_id ORDER BY start, "end"
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
              FROM (SELECT 0 AS tree, code_id, coder_id, source_id, start, "end" FROM coding
                    UNION ALL
                    SELECT 1, cl.ancestor_id, c.coder_id, c.source_id, c.start, c."end"
                    FROM code_closure cl JOIN coding c ON c.code_id = cl.code_id))
        GROUP BY tree, code_id, coder_id, source_id;
        """,
    )


def step_007_word_counts(conn: sqlite3.Connection) -> None:
    """Each source's word counts and the project's word totals (see `word_counts`), counted here from the
    texts of a file made before they were kept."""
    from qcode.core.store import word_counts

    run_script(
        conn,
        """
        -- every case-folded word of the sources' texts, with its occurrences and the number of sources holding it
        -- over all sources; a word leaves with the last source holding it
        CREATE TABLE word (
            id      INTEGER PRIMARY KEY,
            text    TEXT NOT NULL UNIQUE,
            count   INTEGER NOT NULL,
            sources INTEGER NOT NULL
        );

        -- per source: its words' ids and their counts, two arrays of little-endian unsigned 32-bit integers
        CREATE TABLE source_words (
            source_id INTEGER PRIMARY KEY REFERENCES source(id) ON DELETE CASCADE,
            word_ids  BLOB NOT NULL,
            counts    BLOB NOT NULL
        );
        """,
    )
    word_counts.rebuild(conn)


STEPS: list[Step] = [step_001_initial, step_002_code_value_stat, step_003_member_ranges, step_004_name_register,
                     step_005_exchange_guids, step_006_analysis_storage, step_007_word_counts]
LATEST = len(STEPS)


def pending_steps(version: int) -> list[tuple[int, Step]]:
    """The steps still to apply to a file at `version`, numbered from 1."""
    return [(number, step) for number, step in enumerate(STEPS, start=1) if number > version]


def apply_step(conn: sqlite3.Connection, number: int, step: Step) -> None:
    """Run one step and record it, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        step(conn)
        conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
