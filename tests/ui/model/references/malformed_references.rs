#[migrate::model]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = "users")]
    pub author_id: i64,
    #[column(references = "users.id", on_delete = "explode")]
    pub editor_id: i64,
    #[column(on_delete = "cascade")]
    pub reviewer_id: i64,
}

fn main() {
    let _ = Post { id: 1, author_id: 1, editor_id: 1, reviewer_id: 1 };
}
