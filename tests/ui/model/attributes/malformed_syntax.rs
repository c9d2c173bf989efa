// Attributes that are not `key`, `key = value` or `key(...)` get syn's message,
// and the other fields are still checked.
#[migrate::model(index = "ix_email")]
pub struct User {
    #[column]
    pub id: i64,
    #[column(unique = )]
    pub email: String,
    #[column(uniqe)]
    pub name: String,
}

fn main() {
    let _ = User { id: 1, email: String::new(), name: String::new() };
}
