// `#[model(value = "...")]` on a variant names its SQL value: a string, one per
// variant, and no two variants with the same value (given or from the name).
use migrate::model;

#[model(name = "sort_type")]
pub enum SortType {
    Active,
    #[model(value = 7)]
    Hot,
    #[model(vaule = "new")]
    New,
    #[model(value = "top day")]
    TopDay,
    #[model(value = "top day")]
    TopDayAgain,
    #[model(value = "active")]
    Current,
}

fn main() {
    let _ = SortType::Active;
}
