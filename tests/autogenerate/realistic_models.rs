//! The realistic schema (`realistic.sql`) declared with `#[model]`, as an
//! application would, every table autogenerate manages: serial and identity
//! columns with their sequences, stored generated columns, collations, domains,
//! arrays, ranges, sized types, enum columns; expression, operator-class,
//! ordered, partial, covering, hash, brin, spgist and gin indexes; deferrable,
//! `NULLS NOT DISTINCT`, multi-column, `MATCH FULL`, `NOT VALID` and exclusion
//! constraints, and enum values no variant name spells. `check` on the
//! realistic database must find nothing at all.

// The structs exist for their registrations; no test builds a value of one.
#![allow(dead_code)]

use migrate::autogenerate::compare;
use migrate::backend::{connect, ConnectOptions};
use migrate::config::DatabaseUrl;
use migrate::Dialect;

use super::common;
use super::realistic::{realistic_filter, REALISTIC};

/// Servers this one federates with.
#[migrate::model(table = "instance")]
pub struct Instance {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(unique, max_length = 255)]
    pub domain: String,
    #[column(max_length = 255)]
    pub software: Option<String>,
    #[column(max_length = 255)]
    pub version: Option<String>,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
    #[column(sql_type = "timestamptz")]
    pub updated: Option<String>,
}

#[migrate::model(table = "language")]
pub struct Language {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(max_length = 3)]
    pub code: String,
    pub name: String,
}

#[migrate::model(
    table = "person",
    index(
        name = "idx_person_lower_actor_id",
        keys = "lower(actor_id::text)",
        unique
    ),
    index(
        name = "idx_person_trigram",
        keys = "name gin_trgm_ops, display_name gin_trgm_ops",
        method = "gin"
    ),
    index(name = "idx_person_published", keys = "published DESC NULLS LAST"),
    index(name = "idx_person_local", columns(id), where = "local")
)]
pub struct Person {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(max_length = 255)]
    pub name: String,
    #[column(max_length = 255)]
    pub display_name: Option<String>,
    pub avatar: Option<String>,
    #[column(default = "false")]
    pub banned: bool,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
    #[column(sql_type = "timestamptz")]
    pub updated: Option<String>,
    #[column(unique, max_length = 255)]
    pub actor_id: String,
    pub bio: Option<String>,
    #[column(default = "true")]
    pub local: bool,
    pub private_key: Option<String>,
    pub public_key: String,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub last_refreshed_at: String,
    #[column(default = "false")]
    pub deleted: bool,
    #[column(
        references = "instance.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub instance_id: i32,
    /// Compared byte by byte.
    #[column(collation = "C", default = "''")]
    pub handle: String,
    // As PostgreSQL prints it (`pg_get_expr`): the comparison does not yet
    // canonicalise a model's expression through the server.
    #[column(
        generated = "((lower((name)::text) || ' '::text) || COALESCE(lower((display_name)::text), ''::text))"
    )]
    pub search_name: Option<String>,
}

#[migrate::model(
    table = "local_user",
    check(name = "ck_local_user_theme", expr = "theme <> ''")
)]
pub struct LocalUser {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(
        unique,
        references = "person.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub person_id: i32,
    pub password_encrypted: String,
    #[column(unique, sql_type = "email_address")]
    pub email: Option<String>,
    #[column(default = "false")]
    pub show_nsfw: bool,
    #[column(default = "'browser'")]
    pub theme: String,
    #[column(default = "'active'")]
    pub default_sort_type: SortType,
    #[column(default = "'local'")]
    pub default_listing_type: ListingType,
    #[column(max_length = 20, default = "'browser'")]
    pub interface_language: String,
    #[column(default = "false")]
    pub accepted_application: bool,
    pub totp_2fa_secret: Option<String>,
}

#[migrate::model(table = "mod_ban")]
pub struct ModBan {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub mod_person_id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub other_person_id: i32,
    pub reason: Option<String>,
    #[column(default = "true")]
    pub banned: bool,
    #[column(sql_type = "timestamptz")]
    pub expires: Option<String>,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub when_: String,
}

#[migrate::model(
    schema = "billing",
    table = "customer",
    unique(
        name = "uq_customer_vat",
        columns(country, vat_number),
        nulls_not_distinct
    )
)]
pub struct Customer {
    #[column(primary_key, identity = "by default")]
    pub id: i64,
    #[column(references = "person.id", on_delete = "restrict")]
    pub person_id: i32,
    #[column(sql_type = "character(2)")]
    pub country: String,
    #[column(max_length = 32)]
    pub vat_number: Option<String>,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub created: String,
}

#[migrate::model(
    schema = "billing",
    table = "invoice",
    unique(name = "uq_invoice_number", columns(customer_id, number), deferrable),
    check(name = "ck_invoice_tax", expr = "tax_rate < 1", not_valid),
    index(
        name = "idx_invoice_lines",
        keys = "lines jsonb_path_ops",
        method = "gin"
    )
)]
pub struct Invoice {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = "billing.customer.id", on_delete = "cascade")]
    pub customer_id: i64,
    #[column(serial, sequence(name = "invoice_numbers", start = 10000, cache = 20))]
    pub number: i32,
    #[column(sql_type = "date", default = "CURRENT_DATE")]
    pub issued: String,
    #[column(sql_type = "time with time zone")]
    pub due_at: Option<String>,
    #[column(sql_type = "billing.money_amount")]
    pub net: String,
    #[column(sql_type = "numeric(5,4)", default = "0.2")]
    pub tax_rate: String,
    /// Net plus tax, rounded to cents.
    #[column(
        sql_type = "numeric",
        generated = "round(((net)::numeric * ((1)::numeric + tax_rate)), 2)"
    )]
    pub gross: Option<String>,
    #[column(sql_type = "jsonb", default = "'[]'")]
    pub lines: String,
    #[column(collation = "POSIX")]
    pub notes: Option<String>,
}

/// Groups posts are made in.
#[migrate::model(
    table = "community",
    index(
        name = "idx_community_lower_actor_id",
        keys = "lower(actor_id::text)",
        unique
    ),
    index(
        name = "idx_community_trigram",
        keys = "name gin_trgm_ops, title gin_trgm_ops",
        method = "gin"
    ),
    index(name = "idx_community_title", columns(title)),
    index(name = "idx_community_tags", columns(tags), method = "gin")
)]
pub struct Community {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(max_length = 255)]
    pub name: String,
    #[column(max_length = 255)]
    pub title: String,
    pub description: Option<String>,
    #[column(default = "false")]
    pub removed: bool,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
    #[column(sql_type = "timestamptz")]
    pub updated: Option<String>,
    #[column(default = "false")]
    pub deleted: bool,
    #[column(default = "false")]
    pub nsfw: bool,
    #[column(unique, max_length = 255)]
    pub actor_id: String,
    #[column(default = "true")]
    pub local: bool,
    #[column(default = "false")]
    pub hidden: bool,
    #[column(default = "false")]
    pub posting_restricted_to_mods: bool,
    #[column(
        references = "instance.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub instance_id: i32,
    #[column(sql_type = "text[]", default = "'{}'")]
    pub tags: String,
}

#[migrate::model(
    table = "community_person_ban",
    exclude(
        name = "ex_community_person_ban_overlap",
        using = "gist (community_id WITH =, person_id WITH =, during WITH &&)"
    )
)]
pub struct CommunityPersonBan {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(
        references = "community.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub community_id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub person_id: i32,
    #[column(sql_type = "tstzrange")]
    pub during: String,
}

#[migrate::model(
    table = "post",
    unique(name = "uq_post_ap_id", columns(ap_id), deferrable, initially_deferred),
    index(name = "idx_post_creator", columns(creator_id)),
    index(name = "idx_post_community", columns(community_id)),
    index(
        name = "idx_post_trigram",
        keys = "name gin_trgm_ops, body gin_trgm_ops",
        method = "gin"
    ),
    index(name = "idx_post_url", columns(url), method = "hash"),
    index(name = "idx_post_published_brin", columns(published), method = "brin"),
    index(
        name = "idx_post_featured",
        keys = "community_id, published DESC",
        where = "featured_community"
    )
)]
pub struct Post {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(max_length = 200)]
    pub name: String,
    #[column(max_length = 512)]
    pub url: Option<String>,
    pub body: Option<String>,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub creator_id: i32,
    #[column(
        references = "community.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub community_id: i32,
    #[column(default = "false")]
    pub removed: bool,
    #[column(default = "false")]
    pub locked: bool,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
    #[column(sql_type = "timestamptz")]
    pub updated: Option<String>,
    #[column(default = "false")]
    pub deleted: bool,
    #[column(default = "false")]
    pub nsfw: bool,
    #[column(max_length = 255)]
    pub ap_id: String,
    #[column(default = "true")]
    pub local: bool,
    #[column(
        default = "0",
        references = "language.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub language_id: i32,
    #[column(default = "false")]
    pub featured_community: bool,
}

#[migrate::model(
    table = "post_like",
    primary_key(person_id, post_id),
    check(name = "ck_post_like_score", expr = "score IN (-1, 1)")
)]
pub struct PostLike {
    #[column(references = "post.id", on_update = "cascade", on_delete = "cascade")]
    pub post_id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub person_id: i32,
    pub score: i16,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
}

// Multi-column, deferred and `MATCH FULL` foreign keys.
#[migrate::model(
    table = "report",
    foreign_key(
        name = "fk_report_creator",
        columns(creator_id),
        references = "person(id)",
        deferrable,
        initially_deferred
    ),
    foreign_key(
        name = "fk_report_like",
        columns(creator_id, post_id),
        references = "post_like(person_id, post_id)",
        match_full
    ),
    check(
        name = "ck_report_target",
        expr = "post_id IS NOT NULL OR comment_id IS NOT NULL"
    )
)]
pub struct Report {
    #[column(primary_key, identity = "always", sequence(start = 1000, cache = 10))]
    pub id: i64,
    pub creator_id: i32,
    pub post_id: Option<i32>,
    pub comment_id: Option<i32>,
    pub reason: String,
    #[column(default = "false")]
    pub resolved: bool,
    pub resolver_id: Option<i32>,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
}

#[migrate::model(
    schema = "billing",
    table = "subscription",
    foreign_key(
        name = "fk_subscription_customer",
        columns(customer_id),
        references = "billing.customer(id)",
        on_delete = "cascade",
        deferrable
    ),
    exclude(
        name = "ex_subscription_overlap",
        using = "gist (customer_id WITH =, active_during WITH &&)",
        deferrable,
        initially_deferred
    )
)]
pub struct Subscription {
    #[column(
        primary_key,
        identity = "always",
        sequence(
            // In the table's schema, as the database reports it.
            name = "subscription_ids",
            min_value = 100,
            max_value = 999999,
            cycle
        )
    )]
    pub id: i32,
    pub customer_id: i64,
    #[column(max_length = 40)]
    pub plan: String,
    #[column(sql_type = "tstzrange")]
    pub active_during: String,
}

#[migrate::model(
    table = "site",
    index(name = "idx_site_actor_id", keys = "lower(actor_id::text)", unique)
)]
pub struct Site {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(unique, max_length = 20)]
    pub name: String,
    pub sidebar: Option<String>,
    #[column(sql_type = "timestamp", default = "now()")]
    pub published: String,
    pub icon: Option<String>,
    pub banner: Option<String>,
    #[column(max_length = 150)]
    pub description: Option<String>,
    #[column(max_length = 255, default = "'http://fake.com'")]
    pub actor_id: String,
    #[column(
        references = "instance.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub instance_id: i32,
    pub private_key: Option<String>,
    #[column(default = "'unset'")]
    pub public_key: String,
}

#[migrate::model(table = "local_site")]
pub struct LocalSite {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(
        unique,
        references = "site.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub site_id: i32,
    #[column(default = "false")]
    pub site_setup: bool,
    #[column(default = "'require application'")]
    pub registration_mode: RegistrationMode,
    #[column(default = "'local'")]
    pub default_post_listing_type: ListingType,
    #[column(default = "'active'")]
    pub default_sort_type: SortType,
    pub legal_information: Option<String>,
    pub slur_filter_regex: Option<String>,
    #[column(default = "20")]
    pub actor_name_max_length: i32,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
}

#[migrate::model(
    table = "site_aggregates",
    index(name = "idx_site_aggregates_1_row_only", keys = "(true)", unique)
)]
pub struct SiteAggregates {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = "site.id", on_update = "cascade", on_delete = "cascade")]
    pub site_id: i32,
    #[column(default = "1")]
    pub users: i64,
    #[column(default = "0")]
    pub posts: i64,
    #[column(default = "0")]
    pub comments: i64,
}

#[migrate::model(
    table = "person_aggregates",
    index(
        name = "idx_person_aggregates_comment_score",
        keys = "comment_score DESC"
    )
)]
pub struct PersonAggregates {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(
        unique,
        references = "person.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub person_id: i32,
    #[column(default = "0")]
    pub post_count: i64,
    #[column(default = "0")]
    pub post_score: i64,
    #[column(default = "0")]
    pub comment_count: i64,
    #[column(default = "0")]
    pub comment_score: i64,
}

#[migrate::model(
    table = "community_aggregates",
    index(
        name = "idx_community_aggregates_hot",
        keys = "hot_rank DESC, published DESC"
    )
)]
pub struct CommunityAggregates {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(
        unique,
        references = "community.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub community_id: i32,
    #[column(default = "0")]
    pub subscribers: i64,
    #[column(default = "0")]
    pub posts: i64,
    #[column(default = "0")]
    pub comments: i64,
    #[column(default = "0.0001")]
    pub hot_rank: f64,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
}

#[migrate::model(
    table = "community_follower",
    unique(columns(community_id, person_id)),
    index(
        name = "idx_community_follower_person",
        columns(person_id),
        include(community_id)
    )
)]
pub struct CommunityFollower {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(
        references = "community.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub community_id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub person_id: i32,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
    #[column(default = "false")]
    pub pending: bool,
}

#[migrate::model(table = "community_moderator", primary_key(community_id, person_id))]
pub struct CommunityModerator {
    #[column(
        references = "community.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub community_id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub person_id: i32,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
}

#[migrate::model(
    table = "post_aggregates",
    index(name = "idx_post_aggregates_score", keys = "score DESC"),
    index(
        name = "idx_post_aggregates_hot",
        keys = "hot_rank DESC NULLS LAST, published DESC NULLS FIRST"
    )
)]
pub struct PostAggregates {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(
        unique,
        references = "post.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub post_id: i32,
    #[column(default = "0")]
    pub comments: i64,
    #[column(default = "0")]
    pub score: i64,
    #[column(default = "0")]
    pub upvotes: i64,
    #[column(default = "0")]
    pub downvotes: i64,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub newest_comment_time: String,
    #[column(default = "0.0001")]
    pub hot_rank: f64,
    #[column(default = "0")]
    pub controversy_rank: f64,
}

#[migrate::model(table = "post_saved", unique(columns(post_id, person_id)))]
pub struct PostSaved {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = "post.id", on_update = "cascade", on_delete = "cascade")]
    pub post_id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub person_id: i32,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
}

#[migrate::model(table = "post_read", unique(columns(post_id, person_id)))]
pub struct PostRead {
    #[column(primary_key, serial)]
    pub id: i64,
    #[column(references = "post.id", on_update = "cascade", on_delete = "cascade")]
    pub post_id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub person_id: i32,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
}

#[migrate::model(
    table = "comment",
    index(
        name = "idx_comment_content_trigram",
        keys = "content gin_trgm_ops",
        method = "gin"
    ),
    index(name = "idx_comment_path", columns(path), method = "spgist"),
    index(name = "idx_comment_path_pattern", keys = "path text_pattern_ops"),
    index(name = "idx_comment_lower_ap_id", keys = "lower(ap_id::text)", unique)
)]
pub struct Comment {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub creator_id: i32,
    #[column(references = "post.id", on_update = "cascade", on_delete = "cascade")]
    pub post_id: i32,
    pub content: String,
    #[column(default = "false")]
    pub removed: bool,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
    #[column(sql_type = "timestamptz")]
    pub updated: Option<String>,
    #[column(default = "false")]
    pub deleted: bool,
    #[column(max_length = 255)]
    pub ap_id: String,
    #[column(default = "true")]
    pub local: bool,
    #[column(default = "'0'")]
    pub path: String,
    #[column(default = "false")]
    pub distinguished: bool,
    #[column(
        default = "0",
        references = "language.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub language_id: i32,
}

#[migrate::model(
    table = "comment_aggregates",
    index(name = "idx_comment_aggregates_score", keys = "score DESC")
)]
pub struct CommentAggregates {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(
        unique,
        references = "comment.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub comment_id: i32,
    #[column(default = "0")]
    pub score: i64,
    #[column(default = "0")]
    pub upvotes: i64,
    #[column(default = "0")]
    pub downvotes: i64,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
    #[column(default = "0")]
    pub child_count: i32,
}

#[migrate::model(table = "comment_like", unique(columns(comment_id, person_id)))]
pub struct CommentLike {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub person_id: i32,
    #[column(
        references = "comment.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub comment_id: i32,
    #[column(references = "post.id", on_update = "cascade", on_delete = "cascade")]
    pub post_id: i32,
    pub score: i16,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
}

#[migrate::model(table = "comment_reply", unique(columns(recipient_id, comment_id)))]
pub struct CommentReply {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub recipient_id: i32,
    #[column(
        references = "comment.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub comment_id: i32,
    #[column(default = "false")]
    pub read: bool,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
}

#[migrate::model(table = "private_message")]
pub struct PrivateMessage {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub creator_id: i32,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub recipient_id: i32,
    pub content: String,
    #[column(default = "false")]
    pub deleted: bool,
    #[column(default = "false")]
    pub read: bool,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
    #[column(sql_type = "timestamptz")]
    pub updated: Option<String>,
    #[column(max_length = 255)]
    pub ap_id: String,
    #[column(default = "true")]
    pub local: bool,
}

#[migrate::model(table = "tagline")]
pub struct Tagline {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(
        references = "local_site.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub local_site_id: i32,
    pub content: String,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
    #[column(sql_type = "timestamptz")]
    pub updated: Option<String>,
}

#[migrate::model(table = "custom_emoji")]
pub struct CustomEmoji {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(
        references = "local_site.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub local_site_id: i32,
    #[column(unique, max_length = 128)]
    pub shortcode: String,
    #[column(unique)]
    pub image_url: String,
    pub alt_text: String,
    pub category: String,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
}

#[migrate::model(
    table = "custom_emoji_keyword",
    unique(columns(custom_emoji_id, keyword))
)]
pub struct CustomEmojiKeyword {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(
        references = "custom_emoji.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub custom_emoji_id: i32,
    #[column(max_length = 128)]
    pub keyword: String,
}

#[migrate::model(
    table = "registration_application",
    index(
        name = "idx_registration_application_published",
        keys = "published DESC"
    )
)]
pub struct RegistrationApplication {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(
        unique,
        references = "local_user.id",
        on_update = "cascade",
        on_delete = "cascade"
    )]
    pub local_user_id: i32,
    pub answer: String,
    #[column(references = "person.id", on_update = "cascade", on_delete = "cascade")]
    pub admin_id: Option<i32>,
    pub deny_reason: Option<String>,
    #[column(sql_type = "timestamptz", default = "now()")]
    pub published: String,
}

#[migrate::model(name = "listing_type")]
pub enum ListingType {
    All,
    Local,
    Subscribed,
}

/// Sort orders, with values no variant name spells: a space and a quote.
#[migrate::model(name = "sort_type")]
pub enum SortType {
    Active,
    Hot,
    New,
    Old,
    #[model(value = "top day")]
    TopDay,
    #[model(value = "it's complicated")]
    ItsComplicated,
}

/// How a new account gets in.
#[migrate::model(name = "registration_mode")]
pub enum RegistrationMode {
    Closed,
    #[model(value = "require application")]
    RequireApplication,
    Open,
}

#[test]
fn postgres_realistic_models_check_clean() {
    let Some(test_db) = common::postgres_db("autogen_realistic_models") else {
        return;
    };
    test_db.connect().batch_execute(REALISTIC).unwrap();
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    let models = migrate::metadata().unwrap();
    // Every table autogenerate manages, so a table left undeclared is reported.
    let filter = realistic_filter();
    let found = db.introspect(&filter.schemas, &Default::default()).unwrap();
    let diff = compare(&found, models, Dialect::Postgres, &filter);
    let found_ops: Vec<String> = diff.ops.iter().map(|op| op.to_string()).collect();
    assert!(found_ops.is_empty(), "{found_ops:#?}");
}
