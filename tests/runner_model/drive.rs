//! Running a case: each command through the CLI, the library or a `--sql`
//! script, and the comparison of the database with the model after each one.

use std::collections::BTreeSet;
use std::path::Path;

use migrate::backend::postgres::PostgresBackend;
use migrate::backend::sqlite::SqliteBackend;
use migrate::runner::{self, Command, Event, RunOptions};
use migrate_core::backend::mysql::MysqlBackend;
use proptest::prelude::*;

use crate::common;
use crate::graph::*;
use crate::model::*;
use crate::strategies::*;
use crate::target::*;

pub(crate) fn write_files(dir: &Path, graph: &Graph, d: Dialect) {
    std::fs::create_dir_all(dir).unwrap();
    for rev in &graph.revs {
        std::fs::write(dir.join(format!("{}.sql", rev.id)), rev.file(graph, d)).unwrap();
    }
}

/// The revision ids named by `step <id>` in `text`'s lines that start with `prefix`.
pub(crate) fn ids_in(graph: &Graph, text: &str, prefix: &str) -> Vec<usize> {
    text.lines()
        .filter(|l| l.starts_with(prefix))
        .filter_map(|l| {
            let at = l.find("step rev")? + 5;
            graph.revs.iter().position(|r| l[at..].starts_with(&r.id))
        })
        .collect()
}

/// The ledger statements of a script, in order: the plan as the script runs it.
pub(crate) fn script_order(graph: &Graph, script: &str) -> Vec<usize> {
    script
        .lines()
        .filter(|l| l.starts_with("INSERT INTO") || l.starts_with("DELETE FROM"))
        // Not the revisions' own statements on `data_rows`.
        .filter(|l| l.contains("migrate_version"))
        .filter_map(|l| {
            graph
                .revs
                .iter()
                .position(|r| l.contains(&format!("'{}'", r.id)))
        })
        .collect()
}

/// What a command did: whether it succeeded, the order it ran the plan in (as
/// far as it got), and its messages.
pub(crate) struct Outcome {
    pub(crate) ok: bool,
    pub(crate) order: Vec<usize>,
    pub(crate) log: String,
}

pub(crate) fn cmd_args(graph: &Graph, cmd: &Cmd) -> Vec<String> {
    match cmd {
        Cmd::Upgrade(t) => vec!["upgrade".into(), graph.render(t)],
        Cmd::Downgrade(t) => vec!["downgrade".into(), graph.render(t)],
        Cmd::Stamp(t, purge) => {
            let mut args = vec!["stamp".into(), graph.render(t)];
            if *purge {
                args.push("--purge".into());
            }
            args
        }
    }
}

pub(crate) fn run_cli(target: &Target, args: &[String]) -> (bool, String, String) {
    let mut all = vec![
        "--dir".to_string(),
        target.dir.display().to_string(),
        "--url".to_string(),
        target.url.clone(),
    ];
    all.extend_from_slice(args);
    all.extend(["--lock-timeout".to_string(), "5".to_string()]);
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let (code, out, err) = common::run_migrate(&target.dir, &all);
    (code == 0, out, err)
}

pub(crate) fn run_library(
    target: &mut Target,
    graph: &Graph,
    cmd: &Cmd,
    per_migration: bool,
) -> Outcome {
    let revisions = migrate::revision::load_dir(&target.dir).unwrap();
    let real = migrate::RevisionGraph::new(revisions).unwrap();
    let rendered;
    let command = match cmd {
        Cmd::Upgrade(t) => {
            rendered = graph.render(t);
            Command::Upgrade(&rendered)
        }
        Cmd::Downgrade(t) => {
            rendered = graph.render(t);
            Command::Downgrade(&rendered)
        }
        Cmd::Stamp(t, purge) => {
            rendered = graph.render(t);
            Command::Stamp {
                target: &rendered,
                purge: *purge,
            }
        }
    };
    let options = RunOptions {
        transaction_per_migration: per_migration,
        lock_timeout: std::time::Duration::from_secs(5),
        ..RunOptions::default()
    };
    let mut started = Vec::new();
    let mut events = |e: Event<'_>| {
        if let Event::Started { revision, .. } = e {
            started.push(revision.id.clone());
        }
    };
    let result = match &mut target.conn {
        Conn::Sqlite(conn) => {
            let mut backend = SqliteBackend::borrow(conn).unwrap();
            runner::run(&mut backend, &real, command, &options, &mut events)
        }
        Conn::Postgres { held, .. } => {
            let mut backend = PostgresBackend::borrow(held);
            runner::run(&mut backend, &real, command, &options, &mut events)
        }
        Conn::Mysql { held, .. } => MysqlBackend::borrow(held).and_then(|mut backend| {
            runner::run(&mut backend, &real, command, &options, &mut events)
        }),
    };
    Outcome {
        ok: result.is_ok(),
        order: started
            .iter()
            .map(|id| graph.revs.iter().position(|r| &r.id == id).unwrap())
            .collect(),
        log: format!("{result:?}"),
    }
}

/// Applies a script with the database's own client, stopping at the first error.
pub(crate) fn apply_script(target: &Target, script: &str) -> (bool, String) {
    // Beside the migrations directory, where the runner would read it as a revision.
    let file = target.dir.with_extension("sql");
    std::fs::write(&file, script).unwrap();
    let output = match target.dialect {
        Dialect::Sqlite => std::process::Command::new("sqlite3")
            .arg("-bail")
            .arg(target.sqlite_path.as_ref().unwrap())
            .arg(format!(".read {}", file.display()))
            .output(),
        Dialect::Postgres => std::process::Command::new("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &target.url, "-f"])
            .arg(&file)
            .output(),
        // `mysql --protocol=TCP --host=... --user=... DATABASE < script`: the
        // client stops at the first error, and the open transaction goes with
        // its session.
        Dialect::Mysql => common::db::mysql_client(&target.url)
            .stdin(std::fs::File::open(&file).unwrap())
            .output(),
    }
    .expect("sqlite3, psql and mysql are installed");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs one case on one backend; `Err` describes the first disagreement.
pub(crate) fn run_case(graph: &Graph, steps: &[Step], target: &mut Target) -> Result<(), String> {
    let d = target.dialect;
    let mut model = State::default();
    for (i, step) in steps.iter().enumerate() {
        let mut via = step.via;
        let mut args = cmd_args(graph, &step.cmd);
        if step.per_migration {
            args.push("--transaction-per-migration".into());
        }
        // Offline, FROM stands for the database's state: only when one revision
        // (or base) describes it.
        if via == Via::Sql {
            let heads = graph.current_heads(&model.ledger, None);
            let from = match heads[..] {
                [] => Some("base".to_string()),
                [h] if graph.ancestors(&[h]) == model.ledger => {
                    let id = &graph.revs[h].id;
                    Some(if step.from_as_prefix {
                        id[..5].to_string()
                    } else {
                        id.clone()
                    })
                }
                _ => None,
            };
            match (&step.cmd, from) {
                (Cmd::Stamp(..), _) | (_, None) => via = Via::Cli,
                (_, Some(from)) => {
                    args[1] = format!("{from}:{}", args[1]);
                    args.push("--sql".into());
                }
            }
        }
        let what = format!("step {i} ({via:?}): migrate {}", args.join(" "));
        let mut expected = expect(graph, d, &model, &step.cmd);
        // README: `upgrade FROM:TO --sql` going down is an error.
        if via == Via::Sql {
            if let (Cmd::Upgrade(t), Expect::Plan { set, .. }) = (&step.cmd, &expected) {
                let reached = graph.upgrade_set(&BTreeSet::new(), t).unwrap_or_default();
                if set.is_empty() && !model.ledger.is_subset(&reached) {
                    expected = Expect::Refused;
                }
            }
        }
        let outcome = match via {
            Via::Cli => {
                let (ok, _out, err) = run_cli(target, &args);
                let prefix = if matches!(step.cmd, Cmd::Stamp(..)) {
                    "Stamping"
                } else {
                    "Running"
                };
                Outcome {
                    ok,
                    order: ids_in(graph, &err, prefix),
                    log: err,
                }
            }
            Via::Library => run_library(target, graph, &step.cmd, step.per_migration),
            Via::Sql => {
                let (ok, script, err) = run_cli(target, &args);
                if !ok {
                    Outcome {
                        ok,
                        order: Vec::new(),
                        log: err,
                    }
                } else {
                    let order = script_order(graph, &script);
                    let (ok, err) = apply_script(target, &script);
                    Outcome {
                        ok,
                        order,
                        log: format!("{err}\n--- script:\n{script}"),
                    }
                }
            }
        };
        let (next, ok) = match expected {
            Expect::Refused => (model.clone(), false),
            Expect::Plan {
                dir,
                set,
                stamp,
                purge,
            } => {
                let mut from = model.clone();
                if purge {
                    from.ledger.clear();
                }
                if stamp {
                    let mut next = from;
                    for r in &set {
                        match dir {
                            Dir::Up => next.ledger.insert(*r),
                            Dir::Down => next.ledger.remove(r),
                        };
                    }
                    (next, true)
                } else {
                    // The order is the runner's choice among valid ones; a
                    // script lists the whole plan, an online run as far as it got.
                    if !graph.valid_order(&outcome.order, &set, dir) {
                        return Err(format!(
                            "{what}: the order {:?} is not a valid order of the plan {:?}\n{}",
                            outcome.order, set, outcome.log
                        ));
                    }
                    let mut order = outcome.order.clone();
                    // Complete a partial order with the rest of the plan.
                    let mut rest: Vec<usize> =
                        set.iter().copied().filter(|r| !order.contains(r)).collect();
                    while !rest.is_empty() {
                        let pos = rest
                            .iter()
                            .position(|&r| {
                                let mut with = order.clone();
                                with.push(r);
                                graph.valid_order(&with, &set, dir)
                            })
                            .expect("a plan always has a next revision");
                        order.push(rest.remove(pos));
                    }
                    let (next, result) = simulate(graph, d, &from, dir, &order, step.per_migration);
                    if via != Via::Sql {
                        let reached = match result {
                            Ok(()) => order.len(),
                            Err(r) => order.iter().position(|&x| x == r).unwrap() + 1,
                        };
                        if outcome.order.len() != reached {
                            return Err(format!(
                                "{what}: the runner ran {:?}, the model expected it to reach {:?}\n{}",
                                outcome.order,
                                &order[..reached],
                                outcome.log
                            ));
                        }
                    }
                    (next, result.is_ok())
                }
            }
        };
        if outcome.ok != ok {
            return Err(format!(
                "{what}: {} but the model says it {}\n{}",
                if outcome.ok { "succeeded" } else { "failed" },
                if ok { "succeeds" } else { "fails" },
                outcome.log
            ));
        }
        let seen = target.observe(graph)?;
        if seen != next {
            return Err(format!(
                "{what}: the database holds {} but the model says {}\n{}",
                show(graph, &seen),
                show(graph, &next),
                outcome.log
            ));
        }
        target
            .check_connection()
            .map_err(|e| format!("{what}: {e}\n{}", outcome.log))?;
        check_current(graph, target, &next).map_err(|e| format!("after {what}: {e}"))?;
        model = next;
    }
    Ok(())
}

/// `migrate current` names the model's current heads: the ledger read back
/// through the backend.
pub(crate) fn check_current(graph: &Graph, target: &Target, state: &State) -> Result<(), String> {
    let (ok, out, err) = run_cli(target, &["current".to_string()]);
    if !ok {
        return Err(format!("`migrate current` failed: {err}"));
    }
    let named: Vec<usize> = out
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(|id| {
            graph
                .revs
                .iter()
                .position(|r| r.id == id)
                .ok_or(format!("`migrate current` names {id}:\n{out}"))
        })
        .collect::<Result<_, _>>()?;
    let mut sorted = named.clone();
    sorted.sort();
    sorted.dedup();
    let expected = graph.current_heads(&state.ledger, None);
    if sorted != expected || named.len() != sorted.len() {
        return Err(format!(
            "`migrate current` says\n{out}but the model's current heads are [{}]",
            expected
                .iter()
                .map(|&n| graph.revs[n].id.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    Ok(())
}

pub(crate) fn show(graph: &Graph, state: &State) -> String {
    let ids = |s: &BTreeSet<usize>| {
        s.iter()
            .map(|&n| graph.revs[n].id.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        "ledger [{}] markers [{}] rows [{}]",
        ids(&state.ledger),
        ids(&state.markers),
        ids(&state.rows)
    )
}

/// Runs one case on every backend at once: SQLite, PostgreSQL (a schema of
/// `pg`'s database) and MariaDB (a database of its own, named after `mysql`,
/// the test).
pub(crate) fn check_case(
    case: &Case,
    pg: Option<&common::TestDb>,
    mysql: Option<&str>,
) -> Result<(), TestCaseError> {
    let graph = build_graph(&case.revs);
    let root = tempfile::tempdir().unwrap();
    let (lite, post, maria) = std::thread::scope(|scope| {
        let lite = scope.spawn(|| {
            run_case(
                &graph,
                &case.steps,
                &mut Target::sqlite(root.path(), &graph),
            )
        });
        let (graph, root) = (&graph, root.path());
        let maria = mysql.map(|test| {
            scope.spawn(move || {
                let db = common::mysql_db(test).expect("the server answered before");
                let mut target = Target::mysql(db, root, graph);
                let result = run_case(graph, &case.steps, &mut target);
                if let Conn::Mysql { held, check, db } = target.conn {
                    // The held connection first: a transaction it (wrongly) left
                    // open would block the drop.
                    drop(held);
                    drop(check);
                    drop(db);
                }
                result
            })
        });
        let post = pg.map(|db| {
            let mut target = Target::postgres(db, root, graph);
            let result = run_case(graph, &case.steps, &mut target);
            if let Conn::Postgres {
                held,
                mut check,
                schema,
            } = target.conn
            {
                // The held connection first: a transaction it (wrongly) left open
                // would block the drop.
                drop(held);
                let _ = check.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }
            result
        });
        (lite.join().unwrap(), post, maria.map(|m| m.join().unwrap()))
    });
    let files = |d: Dialect| -> String {
        graph
            .revs
            .iter()
            .map(|r| format!("{}\n", r.file(&graph, d)))
            .collect()
    };
    for (d, result) in [
        (Dialect::Sqlite, Some(lite)),
        (Dialect::Postgres, post),
        (Dialect::Mysql, maria),
    ] {
        if let Some(Err(e)) = result {
            return Err(TestCaseError::fail(format!(
                "{}: {e}\n--- files (as for {}):\n{}",
                d.name(),
                d.name(),
                files(d)
            )));
        }
    }
    Ok(())
}
