// A key given twice on one field is an error on the second occurrence, also
// across two `#[column(...)]` attributes and for flags.
#[migrate::model]
pub struct Item {
    #[column(primary_key, primary_key)]
    pub id: i64,
    #[column(default = "1", default = "2")]
    pub quantity: i32,
    #[column(name = "label")]
    #[column(unique, name = "title")]
    pub name: String,
}

fn main() {
    let _ = Item { id: 1, quantity: 1, name: String::new() };
}
