-- revision: 7a0d3c5e8b21
-- down_revision: 1f4e2a9c0b13
-- message: index starts by pid

-- migrate:up
CREATE INDEX ix_starts_pid ON starts (pid);

-- migrate:down
DROP INDEX ix_starts_pid;
