use migrate::model;

#[model(table = users)]
pub struct User {
    #[column(primary_key = true)]
    pub id: i64,
    #[column(max_length = "255")]
    pub email: String,
    #[column(default = 0)]
    pub karma: i32,
}

fn main() {
    let _ = User { id: 1, email: String::new(), karma: 0 };
}
