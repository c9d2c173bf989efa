// `initially_deferred` is spelled out with `deferrable`, flags take no value,
// a constraint's column lists name column fields, a table-level foreign key
// says what it references, column for column, and an exclusion constraint
// has a name and an operator list.
#[migrate::model(
    unique(name = "uq_late", columns(email), initially_deferred),
    unique(name = "uq_cover", columns(email), include(nmae)),
    unique(name = "uq_flag", columns(id), nulls_not_distinct = true),
    check(name = "ck_id", expr = "id > 0", not_valid = "yes"),
    foreign_key(columns(team_id)),
    foreign_key(columns(team_id), references = "teams.id"),
    foreign_key(columns(team_id, id), references = "teams(id)"),
    foreign_key(columns(team_id), references = "teams(id)", on_delete = "explode"),
    foreign_key(columns(tema_id), references = "teams(id)", initially_deferred),
    exclude(using = "gist (id WITH =)"),
    exclude(name = "ex_users"),
    exclude(name = "ex_late", using = "gist (id WITH =)", initially_deferred)
)]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    pub email: String,
    pub name: String,
    pub team_id: i64,
}

fn main() {
    let _ = User { id: 1, email: String::new(), name: String::new(), team_id: 1 };
}
