// `initially_deferred` is spelled out with `deferrable`, flags take no value, and
// a unique constraint's `include(...)` names column fields.
#[migrate::model(
    unique(name = "uq_late", columns(email), initially_deferred),
    unique(name = "uq_cover", columns(email), include(nmae)),
    unique(name = "uq_flag", columns(id), nulls_not_distinct = true),
    check(name = "ck_id", expr = "id > 0", not_valid = "yes")
)]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    pub email: String,
    pub name: String,
}

fn main() {
    let _ = User { id: 1, email: String::new(), name: String::new() };
}
