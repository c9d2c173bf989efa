use migrate::model;

#[model(tabel = "users")]
pub struct User {
    #[column(primary_key, uniqe)]
    pub id: i64,
    #[column(referencess = "teams.id")]
    pub team_id: i64,
}

fn main() {
    let _ = User { id: 1, team_id: 2 };
}
