// `skip` means "not a column": every other column option on the field is a mistake.
#[migrate::model]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    #[column(skip, name = "cached", default = "0")]
    pub views: u64,
    #[column(unique)]
    #[column(skip)]
    pub draft: Vec<String>,
}

fn main() {
    let _ = Post { id: 1, views: 0, draft: Vec::new() };
}
