//! `revision --autogenerate` on PostgreSQL tables that exist already, with rows:
//! each change gets the form that keeps the table open for writes (what
//! `migrate lint` asks for), the revisions apply and downgrade, `check` is
//! clean afterwards, and `lint` finds nothing in them. New tables keep the
//! plain forms.

mod common;

use std::path::{Path, PathBuf};

use migrate::cli::{run_from, Source};
use migrate::model;

/// Who orders.
#[model(table = "accounts", unique(name = "uq_accounts_email", columns(email)))]
pub struct Account {
    #[column(primary_key)]
    pub id: i64,
    #[column(max_length = 200)]
    pub email: String,
}

/// What they order.
#[model(
    table = "orders",
    foreign_key(
        name = "fk_orders_account",
        columns(account_id),
        references = "accounts(id)"
    ),
    check(name = "ck_orders_total", expr = "total >= 0")
)]
pub struct Order {
    #[column(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub total: i32,
}

fn cli(dir: &Path, url: &str, args: &[&str]) -> (u8, String, String) {
    let mut argv = vec!["migrate", "--url", url];
    argv.extend_from_slice(args);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_from(
        argv,
        Source::Directory(dir.to_path_buf()),
        &mut out,
        &mut err,
    );
    let code = if format!("{code:?}") == format!("{:?}", std::process::ExitCode::SUCCESS) {
        0
    } else {
        1
    };
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// What the database holds before the revision under test: the models, with
/// rows, but for what `missing` names (`fk`, `check`, `not_null`, `unique`).
fn setup(missing: &[&str]) -> String {
    let has = |what: &str| !missing.contains(&what);
    let mut up = format!(
        "CREATE TABLE accounts (id BIGINT PRIMARY KEY, email VARCHAR(200){});\n\
         CREATE TABLE orders (id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL, total INTEGER NOT NULL);\n",
        if has("not_null") { " NOT NULL" } else { "" }
    );
    if has("unique") {
        up.push_str("ALTER TABLE accounts ADD CONSTRAINT uq_accounts_email UNIQUE (email);\n");
    }
    if has("fk") {
        up.push_str(
            "ALTER TABLE orders ADD CONSTRAINT fk_orders_account FOREIGN KEY (account_id) REFERENCES accounts (id);\n",
        );
    }
    if has("check") {
        up.push_str("ALTER TABLE orders ADD CONSTRAINT ck_orders_total CHECK (total >= 0);\n");
    }
    up.push_str(
        "COMMENT ON TABLE accounts IS 'Who orders.';\n\
         COMMENT ON TABLE orders IS 'What they order.';\n\
         INSERT INTO accounts VALUES (1, 'a@example.com'), (2, 'b@example.com');\n\
         INSERT INTO orders VALUES (1, 1, 10), (2, 2, 0);\n",
    );
    format!(
        "-- revision: 000000000001\n-- down_revision: none\n\n-- migrate:up\n{up}\n\
         -- migrate:down\nDROP TABLE orders;\nDROP TABLE accounts;\n"
    )
}

struct Scenario {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    db: common::TestDb,
    /// The generated revisions' texts, in the order they were written.
    revisions: Vec<String>,
}

impl Scenario {
    fn url(&self) -> &str {
        &self.db.url
    }

    fn cli(&self, args: &[&str]) -> (u8, String, String) {
        cli(&self.dir, self.url(), args)
    }

    /// The rows `sql` returns, each as one string.
    fn strings(&self, sql: &str) -> Vec<String> {
        let mut client = self.db.connect();
        let rows = client.query(sql, &[]).unwrap();
        rows.iter().map(|r| r.get(0)).collect()
    }

    /// The constraints of `accounts` and `orders`, `name type validated`.
    fn constraints(&self) -> Vec<String> {
        self.strings(
            "SELECT conname::text || ' ' || contype::text || ' ' || convalidated::text \
             FROM pg_constraint WHERE conrelid IN ('accounts'::regclass, 'orders'::regclass) \
             AND contype <> 'p' ORDER BY conname",
        )
    }

    fn email_not_null(&self) -> Vec<String> {
        self.strings(
            "SELECT attnotnull::text FROM pg_attribute \
             WHERE attrelid = 'accounts'::regclass AND attname = 'email'",
        )
    }
}

/// A database at the setup, and what `revision --autogenerate` writes for it.
fn generate(test: &str, missing: &[&str]) -> Option<Scenario> {
    let db = common::postgres_db(test)?;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("000000000001_setup.sql"), setup(missing)).unwrap();
    let (code, _, err) = cli(&dir, &db.url, &["upgrade"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = cli(
        &dir,
        &db.url,
        &[
            "revision",
            "--autogenerate",
            "-m",
            "models",
            "--dialect",
            "postgres",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let revisions = out
        .lines()
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect();
    Some(Scenario {
        _tmp: tmp,
        dir,
        db,
        revisions,
    })
}

/// The SQL of a revision's up section, after its marker line, and that line.
fn up_section(text: &str) -> (&str, &str) {
    let from = text.find("-- migrate:up").expect("an up section");
    let rest = &text[from..];
    let (marker, rest) = rest.split_once('\n').unwrap();
    let end = rest.find("-- migrate:down").unwrap_or(rest.len());
    (marker, &rest[..end])
}

/// lint finds nothing; upgrade applies; check is clean; a downgrade to the
/// setup applies and leaves what was there; upgrading again works too.
fn apply_and_undo(s: &Scenario, before: &[String], email_not_null_before: &str) {
    let (code, out, err) = s.cli(&["lint", "--dialect", "postgres"]);
    assert_eq!(
        code, 0,
        "lint reports on the generated revisions:\n{out}{err}"
    );
    let (code, _, err) = s.cli(&["upgrade"]);
    assert_eq!(code, 0, "upgrade: {err}");
    let (code, out, err) = s.cli(&["check"]);
    assert_eq!(code, 0, "check after upgrade:\n{out}{err}");
    assert_eq!(
        s.constraints(),
        [
            "ck_orders_total c true",
            "fk_orders_account f true",
            "uq_accounts_email u true"
        ]
    );
    assert_eq!(s.email_not_null(), ["true"]);
    let (code, _, err) = s.cli(&["downgrade", "000000000001"]);
    assert_eq!(code, 0, "downgrade: {err}");
    assert_eq!(s.constraints(), before);
    assert_eq!(s.email_not_null(), [email_not_null_before]);
    assert_eq!(
        s.strings(
            "SELECT count(*)::text FROM pg_indexes WHERE tablename IN ('accounts', 'orders')"
        ),
        [(2 + before.iter().filter(|c| c.contains(" u ")).count()).to_string()],
        "only the primary keys' indexes and the setup's"
    );
    let (code, _, err) = s.cli(&["upgrade"]);
    assert_eq!(code, 0, "upgrade again: {err}");
    let (code, out, err) = s.cli(&["check"]);
    assert_eq!(code, 0, "check after upgrading again:\n{out}{err}");
}

/// The main revision's up SQL, and the follow-up's marker and up SQL.
fn two(s: &Scenario) -> (&str, &str, &str) {
    assert_eq!(s.revisions.len(), 2, "{:#?}", s.revisions);
    let (main_marker, main) = up_section(&s.revisions[0]);
    assert!(
        !main_marker.contains("transaction:false"),
        "{}",
        s.revisions[0]
    );
    let (marker, follow) = up_section(&s.revisions[1]);
    (main, marker, follow)
}

#[test]
fn a_foreign_key_is_added_not_valid_then_validated_outside_the_transaction() {
    let Some(s) = generate("safe_forms_fk", &["fk"]) else {
        return;
    };
    let (main, marker, follow) = two(&s);
    assert_eq!(
        main.trim(),
        "ALTER TABLE orders ADD CONSTRAINT fk_orders_account FOREIGN KEY (account_id) \
         REFERENCES accounts (id) NOT VALID;"
    );
    assert!(marker.ends_with("transaction:false"), "{marker}");
    assert_eq!(
        follow.trim(),
        "ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_account;"
    );
    assert!(
        s.revisions[1].contains("-- message: models (without blocking writes)\n"),
        "{}",
        s.revisions[1]
    );
    apply_and_undo(
        &s,
        &[
            "ck_orders_total c true".into(),
            "uq_accounts_email u true".into(),
        ],
        "true",
    );
}

#[test]
fn a_check_constraint_is_added_not_valid_then_validated_outside_the_transaction() {
    let Some(s) = generate("safe_forms_check", &["check"]) else {
        return;
    };
    let (main, marker, follow) = two(&s);
    assert_eq!(
        main.trim(),
        "ALTER TABLE orders ADD CONSTRAINT ck_orders_total CHECK (total >= 0) NOT VALID;"
    );
    assert!(marker.ends_with("transaction:false"), "{marker}");
    assert_eq!(
        follow.trim(),
        "ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_total;"
    );
    apply_and_undo(
        &s,
        &[
            "fk_orders_account f true".into(),
            "uq_accounts_email u true".into(),
        ],
        "true",
    );
}

#[test]
fn a_column_becoming_not_null_is_proven_by_a_validated_check_first() {
    let Some(s) = generate("safe_forms_not_null", &["not_null"]) else {
        return;
    };
    let (main, marker, follow) = two(&s);
    assert_eq!(
        main.trim(),
        "ALTER TABLE accounts ADD CONSTRAINT accounts_email_not_null CHECK (email IS NOT NULL) NOT VALID;"
    );
    assert!(marker.ends_with("transaction:false"), "{marker}");
    assert_eq!(
        follow.trim(),
        "ALTER TABLE accounts VALIDATE CONSTRAINT accounts_email_not_null;\n\n\
         ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;\n\n\
         ALTER TABLE accounts DROP CONSTRAINT accounts_email_not_null;"
    );
    apply_and_undo(
        &s,
        &[
            "ck_orders_total c true".into(),
            "fk_orders_account f true".into(),
            "uq_accounts_email u true".into(),
        ],
        "false",
    );
}

#[test]
fn a_unique_constraint_is_attached_to_an_index_built_concurrently() {
    let Some(s) = generate("safe_forms_unique", &["unique"]) else {
        return;
    };
    // Nothing else to do: the revision's own section is transaction:false.
    assert_eq!(s.revisions.len(), 1, "{:#?}", s.revisions);
    let (marker, up) = up_section(&s.revisions[0]);
    assert!(marker.ends_with("transaction:false"), "{marker}");
    assert_eq!(
        up.trim(),
        "CREATE UNIQUE INDEX CONCURRENTLY uq_accounts_email ON accounts (email);\n\n\
         ALTER TABLE accounts ADD CONSTRAINT uq_accounts_email UNIQUE USING INDEX uq_accounts_email;"
    );
    apply_and_undo(
        &s,
        &[
            "ck_orders_total c true".into(),
            "fk_orders_account f true".into(),
        ],
        "true",
    );
}

#[test]
fn every_safe_form_at_once() {
    let Some(s) = generate("safe_forms_all", &["fk", "check", "not_null", "unique"]) else {
        return;
    };
    let (main, _, follow) = two(&s);
    for plain in [
        "ADD CONSTRAINT uq_accounts_email UNIQUE (email)",
        "SET NOT NULL",
        "VALIDATE",
    ] {
        assert!(!main.contains(plain), "{plain} in the transaction:\n{main}");
    }
    assert_eq!(main.matches(" NOT VALID;").count(), 3, "{main}");
    assert!(follow.contains("CREATE UNIQUE INDEX CONCURRENTLY uq_accounts_email"));
    assert_eq!(
        follow.matches(" VALIDATE CONSTRAINT ").count(),
        3,
        "{follow}"
    );
    apply_and_undo(&s, &[], "false");
}

/// A table the revision creates is empty and unused: its constraints come with
/// it, in one transaction.
#[test]
fn new_tables_keep_the_plain_forms() {
    let Some(db) = common::postgres_db("safe_forms_new_tables") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    std::fs::create_dir_all(&dir).unwrap();
    let (code, out, err) = cli(
        &dir,
        &db.url,
        &[
            "revision",
            "--autogenerate",
            "-m",
            "models",
            "--dialect",
            "postgres",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    let text = std::fs::read_to_string(out.trim()).unwrap();
    assert!(!text.contains("transaction:false"), "{text}");
    assert!(!text.contains("NOT VALID"), "{text}");
    assert!(!text.contains("CONCURRENTLY"), "{text}");
    assert!(text.contains("CONSTRAINT ck_orders_total CHECK (total >= 0)"));
    let (code, out, err) = cli(&dir, &db.url, &["lint", "--dialect", "postgres"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(cli(&dir, &db.url, &["upgrade"]).0, 0);
    assert_eq!(cli(&dir, &db.url, &["check"]).0, 0);
}
