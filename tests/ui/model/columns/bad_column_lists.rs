// Table-level column lists name at least one column, and each column once.
#[migrate::model(primary_key(), index(columns(email, email)), unique(columns(id, r#type, id)))]
pub struct Tag {
    pub id: i64,
    pub email: String,
    pub r#type: String,
}

fn main() {
    let _ = Tag { id: 1, email: String::new(), r#type: String::new() };
}
