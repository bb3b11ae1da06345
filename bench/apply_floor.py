#!/usr/bin/env python3
"""The floor of an apply: the SQL an apply runs for a snapshot, as psql scripts.

    apply_floor.py SNAPSHOT_DIR N PREFIX [without-analyze]

writes PREFIX.pre.sql, the schema (pre-data.sql without steep_repl's own extension, for
psql --single-transaction), and PREFIX.0.sql .. PREFIX.<N-1>.sql, one per session: the
statements apply runs after the schema (docs/snapshots.md "Apply"), without the worker,
verify, ledger or progress, in the order apply gives them. The largest table's parts are dealt
over every session first; session 0 then waits (advisory locks) until the others have loaded
their share and builds that table's keys and indexes and ANALYZEs it, while the other sessions
take the remaining tables, largest first, each load followed by the table's indexes and ANALYZE.
A single-part table of at least 1 MiB is emptied and loaded FREEZE in one transaction, as
apply does for tables it has just created; each table is loaded in its manifest's data_format. Data files are read by the server itself (the
apply's path for a submitter with pg_read_server_files).

For the benchmark's datasets: a post-data section belongs to the table its first statement
names (ALTER TABLE [ONLY] t / CREATE [UNIQUE] INDEX ... ON [ONLY] t); sections naming no
table run last on session 0.
"""
import json
import os
import re
import sys

# Apply's threshold, read from its one source.
DATA_PLAN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "java", "core", "src", "main", "java",
                         "io", "steep", "repl", "snapshot", "apply", "DataPlan.java")


def freeze_min_bytes():
    with open(DATA_PLAN) as f:
        factors = re.search(r"FREEZE_MIN_BYTES = ([0-9 *]+);", f.read()).group(1).split("*")
    value = 1
    for factor in factors:
        value *= int(factor)
    return value


HEADER = re.compile(r"^--\n-- Name: .*; Type: .*; Schema: .*; Owner: .*\n--\n", re.M)
TABLE_OF = re.compile(r"^\s*(?:ALTER TABLE (?:ONLY )?|CREATE (?:UNIQUE )?INDEX \S+ ON (?:ONLY )?)(\S+)", re.M)
EXTENSION = re.compile(r"^(CREATE EXTENSION IF NOT EXISTS steep_repl |COMMENT ON EXTENSION steep_repl ).*$", re.M)


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def literal(text):
    return "'" + text.replace("'", "''") + "'"


def main():
    snapshot, sessions, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    # "without-analyze": the same scripts minus ANALYZE, which apply runs and pg_restore does not
    if sys.argv[4:] not in ([], ["without-analyze"]):
        sys.exit("usage: apply_floor.py SNAPSHOT_DIR N PREFIX [without-analyze]")
    analyze = not sys.argv[4:]
    manifest = json.load(open(os.path.join(snapshot, "manifest.json")))
    with open(os.path.join(snapshot, manifest["schema"]["pre_data"]["file"])) as f:
        pre = EXTENSION.sub("", f.read())
    with open(os.path.join(snapshot, manifest["schema"]["post_data"]["file"])) as f:
        post = f.read()
    preamble = [line for line in post.splitlines()
                if line.startswith(("SET ", "SELECT pg_catalog.set_config")) and "row_security" not in line]
    sections = [s for s in HEADER.split(post)[1:]]
    by_table, others = {}, []
    for section in sections:
        body = "\n".join(l for l in section.splitlines() if not l.startswith("\\unrestrict")).strip()
        if not body:
            continue
        m = TABLE_OF.search(body)
        (by_table.setdefault(m.group(1), []) if m else others).append(body)

    tables = []
    for t in manifest["tables"]:
        name = quote(t["schema"]) + "." + quote(t["name"])
        columns = " (" + ", ".join(quote(c) for c in t["columns"]) + ")" if t["columns"] else ""
        size = sum(p["bytes"] for p in t["parts"])
        dumped = t["schema"] + "." + t["name"]  # pg_dump's spelling of simple names
        binary = t.get("data_format") == "binary"  # format 3 manifests; text before
        tables.append((size, name, columns, t["parts"], by_table.get(dumped, []), binary))
    tables.sort(key=lambda t: -t[0])

    def copy(name, columns, part, binary, freeze=False):
        path = literal(os.path.abspath(os.path.join(snapshot, part["file"])))
        options = (["FREEZE"] if freeze else []) + (["FORMAT binary"] if binary else [])
        return "COPY %s%s FROM %s%s;" % (name, columns, path, " (%s)" % ", ".join(options) if options else "")

    def finish(name, keys):
        return keys + (["ANALYZE %s;" % name] if analyze else [])

    freeze_min = freeze_min_bytes()
    scripts = [["SET synchronous_commit = off;"] + preamble for _ in range(sessions)]
    if tables:
        _, name, columns, parts, keys, binary = tables[0]
        for s in range(1, sessions):
            scripts[s].append("SELECT pg_advisory_lock(%d);" % s)
        for i, part in enumerate(parts):
            scripts[i % sessions].append(copy(name, columns, part, binary))
        for s in range(1, sessions):
            scripts[s].append("SELECT pg_advisory_unlock(%d);" % s)
            scripts[0].append("SELECT pg_advisory_lock(%d);" % s)
        scripts[0].extend(finish(name, keys))
    rest = range(1, sessions) if sessions > 1 else [0]
    for i, (size, name, columns, parts, keys, binary) in enumerate(tables[1:]):
        script = scripts[rest[i % len(rest)]]
        if len(parts) == 1 and size >= freeze_min:
            script.extend(["BEGIN;", "TRUNCATE ONLY %s;" % name, copy(name, columns, parts[0], binary, True), "COMMIT;"])
        else:
            script.extend(copy(name, columns, p, binary) for p in parts)
        script.extend(finish(name, keys))
    scripts[0].extend(others)

    with open(prefix + ".pre.sql", "w") as f:
        f.write(pre)
    for s, lines in enumerate(scripts):
        with open("%s.%d.sql" % (prefix, s), "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
