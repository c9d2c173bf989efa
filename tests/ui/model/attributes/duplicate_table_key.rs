// A key given twice is an error on the second occurrence, not a silent overwrite;
// `index`, `unique` and `check` are lists and may repeat.
#[migrate::model(table = "a", schema = "s", table = "b", schema = "t")]
pub struct Account {
    #[column(primary_key)]
    pub id: i64,
    pub email: String,
}

#[migrate::model(primary_key(id), primary_key(email))]
pub struct Login {
    pub id: i64,
    pub email: String,
}

#[migrate::model(
    index(name = "ix_a", columns(email), name = "ix_b"),
    index(columns(id), columns(email), unique, unique),
    unique(columns(email)),
    unique(columns(id)),
    check(name = "c", expr = "id > 0", expr = "id > 1"),
    check(expr = "id < 100"),
)]
pub struct Session {
    #[column(primary_key)]
    pub id: i64,
    pub email: String,
}

#[migrate::model(name = "mood", name = "feeling")]
pub enum Mood {
    Happy,
    Sad,
}

fn main() {
    let _ = Account { id: 1, email: String::new() };
    let _ = Login { id: 1, email: String::new() };
    let _ = Session { id: 1, email: String::new() };
    let _ = Mood::Happy;
}
