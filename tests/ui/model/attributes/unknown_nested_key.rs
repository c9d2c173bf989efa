// Unknown keys inside index(...), unique(...) and check(...), and on an enum,
// list the options of that very place.
#[migrate::model(
    index(columns(email), uniqe),
    unique(columns(email), unique),
    check(expression = "id > 0"),
)]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    pub email: String,
}

#[migrate::model(table = "moods")]
pub enum Mood {
    Happy,
}

fn main() {
    let _ = User { id: 1, email: String::new() };
    let _ = Mood::Happy;
}
