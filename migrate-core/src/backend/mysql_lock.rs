//! The MySQL lock-table fallback, for servers where `GET_LOCK` does not work
//! across the cluster (Galera: each node keeps its own named locks).
//!
//! The lock is the one row of `<ledger>_lock`, next to the ledger:
//! `(id = 1, holder, acquired_at, expires_at)`. A migrator takes it by inserting
//! the row (`INSERT IGNORE`: one insert wins, also across Galera nodes, where the
//! loser fails certification), after deleting a row whose lease has expired. The
//! holder id (`host:pid:nonce`) says who holds it, for people reading the table.
//! While the run lasts, the lease (`migrate_lock_lease`, 60 s by default) is
//! renewed every third of it: by a helper connection of its own when the backend
//! opened the connection from a URL, and at each call into the backend otherwise
//! (the application's own connection, whose options cannot be read back). A
//! killed migrator's row expires after one lease; the next migrator deletes it.
//! Times are the server's UTC (`UTC_TIMESTAMP`), so sessions' time zones do not matter.

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mysql::prelude::Queryable;
use mysql::Conn;

use super::mysql_conn::{describe, mysql_error, open};
use super::mysql_options::MysqlSettings;
use super::{poll_lock, ConnectOptions, LedgerConfig};
use crate::dialect::{quote_literal_in, Dialect};
use crate::error::Result;

/// A held row of the lock table.
pub(super) struct TableLock {
    table: String,
    holder: String,
    lease: Duration,
    renewed: Instant,
    helper: Option<(mpsc::Sender<()>, JoinHandle<()>)>,
}

impl TableLock {
    /// Takes the lock within `timeout`, or returns `None`. With `settings`, a
    /// helper connection renews the lease until [`release`](Self::release).
    pub(super) fn acquire(
        conn: &mut Conn,
        settings: Option<MysqlSettings>,
        config: &LedgerConfig,
        timeout: Duration,
    ) -> Result<Option<TableLock>> {
        let lease = settings.as_ref().map_or(DEFAULT_LEASE, |s| s.lease);
        let lock_config = LedgerConfig {
            table: format!("{}_lock", config.table),
            schema: config.schema.clone(),
        };
        let table = lock_config.qualified(Dialect::Mysql);
        let create = format!(
            "CREATE TABLE IF NOT EXISTS {table} (\n    \
             id INT PRIMARY KEY,\n    \
             holder VARCHAR(255) NOT NULL,\n    \
             acquired_at DATETIME(6) NOT NULL,\n    \
             expires_at DATETIME(6) NOT NULL\n) ENGINE = InnoDB"
        );
        conn.query_drop(&create)
            .map_err(|e| mysql_error("creating the lock table", &e))?;
        let holder = holder_id();
        let expire = format!("DELETE FROM {table} WHERE id = 1 AND expires_at < UTC_TIMESTAMP(6)");
        let insert = format!(
            "INSERT IGNORE INTO {table} (id, holder, acquired_at, expires_at) \
             VALUES (1, {}, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL {} SECOND)",
            quote_literal_in(&holder, Dialect::Mysql),
            lease.as_secs()
        );
        let locked = poll_lock(timeout, || {
            let attempt = conn
                .query_drop(&expire)
                .and_then(|()| conn.query_drop(&insert));
            match attempt {
                Ok(()) => Ok(conn.affected_rows() == 1),
                // Lost a race: a deadlock, or a Galera certification failure.
                Err(mysql::Error::MySqlError(e)) if matches!(e.code, 1213 | 1205) => Ok(false),
                Err(e) => Err(mysql_error("taking the lock table's row", &e)),
            }
        })?;
        if !locked {
            return Ok(None);
        }
        let helper = settings.map(|settings| spawn_renewal(settings, &table, &holder, lease));
        Ok(Some(TableLock {
            table,
            holder,
            lease,
            renewed: Instant::now(),
            helper,
        }))
    }

    /// Renews the lease when a third of it has passed and no helper does.
    pub(super) fn touch(&mut self, conn: &mut Conn) {
        if self.helper.is_some() || self.renewed.elapsed() < self.lease / 3 {
            return;
        }
        // A failed renewal is retried at the next call; the lease has room for it.
        if conn
            .query_drop(renew_sql(&self.table, &self.holder, self.lease))
            .is_ok()
        {
            self.renewed = Instant::now();
        }
    }

    /// Deletes the row (only if this holder still has it) and stops the helper.
    pub(super) fn release(mut self, conn: &mut Conn) -> Result<()> {
        if let Some((stop, thread)) = self.helper.take() {
            drop(stop);
            let _ = thread.join();
        }
        let delete = format!(
            "DELETE FROM {} WHERE id = 1 AND holder = {}",
            self.table,
            quote_literal_in(&self.holder, Dialect::Mysql)
        );
        conn.query_drop(delete)
            .map_err(|e| mysql_error("releasing the lock table's row", &e))
    }
}

/// The lease when the URL does not say (`migrate_lock_lease`).
pub(super) const DEFAULT_LEASE: Duration = Duration::from_secs(60);

fn renew_sql(table: &str, holder: &str, lease: Duration) -> String {
    format!(
        "UPDATE {table} SET expires_at = UTC_TIMESTAMP(6) + INTERVAL {} SECOND \
         WHERE id = 1 AND holder = {}",
        lease.as_secs(),
        quote_literal_in(holder, Dialect::Mysql)
    )
}

/// A thread with a connection of its own that renews the lease every third of
/// it, until its sender is dropped.
fn spawn_renewal(
    settings: MysqlSettings,
    table: &str,
    holder: &str,
    lease: Duration,
) -> (mpsc::Sender<()>, JoinHandle<()>) {
    let (stop, stopped) = mpsc::channel::<()>();
    let sql = renew_sql(table, holder, lease);
    let thread = std::thread::spawn(move || {
        let options = ConnectOptions { timeout: lease / 3 };
        let mut conn: Option<Conn> = None;
        while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(lease / 3) {
            if conn.is_none() {
                conn = open(&settings, &options).ok();
            }
            if let Some(c) = conn.as_mut() {
                if let Err(e) = c.query_drop(&sql) {
                    tracing::warn!("renewing the migration lock's lease: {}", describe(&e));
                    conn = None;
                }
            }
        }
    });
    (stop, thread)
}

/// `host:pid:nonce`: enough for a person to find the holder, and unique per run.
fn holder_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".to_string());
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{host}:{}:{nonce:08x}", std::process::id())
}
