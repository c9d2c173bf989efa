// `keys = "..."` replaces `columns(...)`, needs a name, and `include(...)`
// names column fields like `columns(...)` does.
#[migrate::model(
    index(name = "ix_both", columns(email), keys = "lower(email)"),
    index(keys = "lower(email)"),
    index(name = "ix_cover", columns(id), include(emial))
)]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    pub email: String,
}

fn main() {
    let _ = User { id: 1, email: String::new() };
}
