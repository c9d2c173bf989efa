// index(...) and unique(...) need their columns, check(...) needs its expression.
#[migrate::model(index(name = "ix_email"), unique(), check(name = "positive"))]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    pub email: String,
}

fn main() {
    let _ = User { id: 1, email: String::new() };
}
