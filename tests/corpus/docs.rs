//! Document templates: what customers paste into tickets, and the ticket,
//! e-mail and chat shapes that carry it.

use super::locale::{self, Loc, Person, words};
use super::values::*;
use super::{
    Doc, Format, Frag, ID_KINDS, JsonStyle, Label, SECRET_KINDS, html_escape, json_escape,
    url_encode,
};

/// Who the document is about and where it comes from.
pub struct Cust {
    pub loc: Loc,
    pub p: Person,
    pub email: String,
    pub agent: Person,
    /// Company slug used in hosts and package names.
    pub co: &'static str,
}

impl Cust {
    pub fn sample(r: &mut Rng8) -> Cust {
        let loc = pick(r, &locale::ALL);
        let p = Person::sample(r, loc);
        let email = email(r, &p);
        let agent_loc = pick(r, &locale::ALL);
        let agent = Person::sample(r, agent_loc);
        let co = pick(
            r,
            &[
                "acme",
                "northwind",
                "globex",
                "initech",
                "contoso",
                "hooli",
                "vandelay",
                "umbrella",
            ],
        );
        Cust {
            loc,
            p,
            email,
            agent,
            co,
        }
    }
}

// ------------------------------------------------------------- mentions

fn email_value(r: &mut Rng8, c: &Cust) -> String {
    if chance(r, 0.5) {
        c.email.clone()
    } else {
        {
            let p = Person::sample(r, c.loc);
            email(r, &p)
        }
    }
}

/// A national id kind that fits the locale most of the time.
fn id_kind(r: &mut Rng8, loc: Loc) -> &'static str {
    if chance(r, 0.45) {
        return pick(r, ID_KINDS);
    }
    match loc {
        Loc::Nl => pick(r, &["nl_bsn", "nl_bsn", "be_national_number"]),
        Loc::Da => "dk_cpr",
        Loc::Fi => "fi_hetu",
        Loc::Fr => pick(r, &["fr_nir", "fr_nir", "be_national_number"]),
        Loc::De => pick(r, &["de_steuer_id", "de_rvnr"]),
        Loc::EnGb => "gb_nino",
        Loc::EnUs => "us_ssn",
    }
}

pub fn id_value(r: &mut Rng8, c: &Cust, kind: &str) -> String {
    match kind {
        "nl_bsn" => nl_bsn(r),
        "dk_cpr" => dk_cpr(r),
        "fi_hetu" => fi_hetu(r),
        "fr_nir" => fr_nir(r),
        "de_steuer_id" => de_steuer_id(r),
        "de_rvnr" => de_rvnr(r, &c.p),
        "gb_nino" => gb_nino(r),
        "us_ssn" => us_ssn(r),
        "es_dni" => es_dni(r),
        "es_nie" => es_nie(r),
        "it_codice_fiscale" => it_codice_fiscale(r),
        "se_personnummer" => se_personnummer(r),
        "be_national_number" => be_national_number(r),
        _ => pl_pesel(r),
    }
}

fn id_context(r: &mut Rng8, kind: &str) -> &'static str {
    let options: &[&str] = match kind {
        "nl_bsn" => &[
            "BSN: ",
            "BSN ",
            "burgerservicenummer: ",
            "mijn BSN is ",
            "bsn=",
        ],
        "dk_cpr" => &[
            "CPR-nr. ",
            "CPR-nr.: ",
            "CPR-nummer: ",
            "cpr: ",
            "mit CPR-nummer er ",
        ],
        "fi_hetu" => &[
            "henkilötunnus: ",
            "henkilötunnus ",
            "hetu: ",
            "henkilötunnukseni on ",
        ],
        "fr_nir" => &[
            "numéro de sécurité sociale : ",
            "n° de sécurité sociale ",
            "NIR : ",
            "numéro de sécurité sociale ",
        ],
        "de_steuer_id" => &[
            "Steuer-ID: ",
            "Steuer-ID ",
            "steuerliche Identifikationsnummer: ",
            "Steuer-IdNr. ",
        ],
        "de_rvnr" => &[
            "Rentenversicherungsnummer: ",
            "Rentenversicherungsnummer ",
            "Sozialversicherungsnummer: ",
            "RV-Nummer ",
        ],
        "gb_nino" => &[
            "NI number: ",
            "National Insurance number ",
            "NI number ",
            "NINO: ",
        ],
        "us_ssn" => &["SSN: ", "SSN ", "social security number ", "my SSN is "],
        "es_dni" => &["DNI: ", "DNI ", "mi DNI es "],
        "es_nie" => &["NIE: ", "NIE ", "número NIE "],
        "it_codice_fiscale" => &["codice fiscale: ", "codice fiscale ", "Codice Fiscale: "],
        "se_personnummer" => &["personnummer: ", "personnummer ", "Personnummer: "],
        "be_national_number" => &[
            "rijksregisternummer: ",
            "rijksregisternummer ",
            "numéro de registre national : ",
            "Rijksregisternummer: ",
        ],
        _ => &["PESEL: ", "PESEL ", "nr PESEL "],
    };
    pick(r, options)
}

/// A person's data with the words a customer of `c.loc` puts before it.
fn mention(r: &mut Rng8, c: &Cust, kind: &'static str, f: &mut Frag) {
    let w = words(c.loc);
    match kind {
        "email" => {
            let v = email_value(r, c);
            f.t(pick(r, w.email_ctx)).p("email", v);
        }
        "phone" => {
            let (v, _) = phone(r, c.loc);
            f.t(pick(r, w.phone_ctx)).p("phone", v);
        }
        "card" => {
            f.t(pick(r, w.card_ctx)).p("card", card(r));
        }
        "iban" => {
            f.t(pick(r, w.iban_ctx)).p("iban", iban(r, c.loc));
        }
        "date_of_birth" => {
            let b = birth_date(r);
            f.t(pick(r, w.dob_ctx)).p("date_of_birth", dob(r, c.loc, b));
        }
        "postal_address" => {
            f.t(pick(r, w.address_ctx))
                .p("postal_address", postal_address(r, c.loc, false));
        }
        "person_name" => {
            let p = Person::sample(r, c.loc);
            f.t(w.name_label).p("person_name", p.full());
        }
        "ipv4" => {
            f.t(pick(
                r,
                &["IP: ", "my IP address is ", "public IP ", "client_ip="],
            ))
            .p("ipv4", ipv4(r));
        }
        "ipv6" => {
            f.t(pick(r, &["IPv6: ", "my IPv6 address is ", "client_ip="]))
                .p("ipv6", ipv6(r));
        }
        "mac" => {
            f.t(pick(r, &["MAC address: ", "device MAC ", "mac="]))
                .p("mac", mac(r));
        }
        kind => {
            let v = id_value(r, c, kind);
            f.t(id_context(r, kind)).p(kind, v);
        }
    }
}

fn any_pii_kind(r: &mut Rng8, loc: Loc) -> &'static str {
    if chance(r, 0.3) {
        id_kind(r, loc)
    } else {
        pick(
            r,
            &[
                "email",
                "phone",
                "card",
                "iban",
                "date_of_birth",
                "postal_address",
                "ipv4",
                "ipv6",
                "mac",
                "phone",
                "email",
            ],
        )
    }
}

// ------------------------------------------------------------ negatives

fn neg_value(r: &mut Rng8, kind: &'static str) -> String {
    match kind {
        "uuid" => uuid(r),
        "order_number" => order_number(r),
        "timestamp" => timestamp(r),
        "version" => version(r),
        "git_hash" => git_hash(r),
        "sha256" => sha256(r),
        "trace_id" => trace_id(r),
        "port" => port(r),
        "http_status" => http_status(r),
        "numeric_id" => numeric_id(r),
        "duration" => duration(r),
        "byte_count" => byte_count(r),
        "publishable_key" => stripe_publishable_key(r),
        k if k.starts_with("fail_") => checksum_fail(r, k),
        _ => numeric_id(r),
    }
}

/// A short phrase holding a negative, for prose and log messages.
fn neg_phrase(r: &mut Rng8, f: &mut Frag) {
    match range(r, 0, 19) {
        0 => f.t("ticket ").n("numeric_id", numeric_id(r)),
        1 => f.t("order ").n("order_number", order_number(r)),
        2 => f.t("request id ").n("uuid", uuid(r)),
        3 => f.t("version ").n("version", version(r)),
        4 => f.t("at commit ").n("git_hash", git_hash(r)),
        5 => f.t("user_id=").n("numeric_id", numeric_id(r)),
        6 => f.t("trace_id=").n("trace_id", trace_id(r)),
        7 => f.t("took ").n("duration", duration(r)),
        8 => f.t("size=").n("byte_count", byte_count(r)),
        9 => f.t("since ").n("timestamp", timestamp(r)),
        10 => f
            .t("tracking number ")
            .n("fail_luhn", checksum_fail(r, "fail_luhn")),
        11 | 17..=19 => {
            let k = pick(
                r,
                &[
                    "fail_bsn",
                    "fail_pesel",
                    "fail_steuer_id",
                    "fail_nir",
                    "fail_be_nn",
                ],
            );
            let ctx = pick(
                r,
                &[
                    "invoice ",
                    "reference ",
                    "Ref: ",
                    "case ",
                    "Vorgangsnummer ",
                    "dossier ",
                    "factuurnummer ",
                    "numéro de commande ",
                ],
            );
            f.t(ctx).n(k, checksum_fail(r, k))
        }
        12 => f.t("digest sha256:").n("sha256", sha256(r)),
        13 => f.t("status ").n("http_status", http_status(r)),
        14 => f.t("customer ").n("numeric_id", numeric_id(r)),
        15 => f.t("listening on localhost:").n("port", port(r)),
        _ => f.t("line ").n("line_number", range(r, 1, 2400).to_string()),
    };
}

// ------------------------------------------------------------- secrets

/// How a secret is written in config: keys for .env, YAML and .properties,
/// and text around the value (URL, connection string, header scheme).
struct Sec {
    kind: &'static str,
    env: &'static str,
    yaml: &'static str,
    props: &'static str,
    before: String,
    value: String,
    after: String,
}

fn secret(r: &mut Rng8, c: &Cust, kind: &'static str) -> Sec {
    let s = |env, yaml, props, value| Sec {
        kind,
        env,
        yaml,
        props,
        before: String::new(),
        value,
        after: String::new(),
    };
    match kind {
        "aws_access_key" => s(
            "AWS_ACCESS_KEY_ID",
            "access_key_id",
            "aws.accessKeyId",
            aws_access_key(r),
        ),
        "aws_secret_key" => s(
            "AWS_SECRET_ACCESS_KEY",
            "secret_access_key",
            "aws.secretKey",
            aws_secret_key(r),
        ),
        "github_token" => s(
            "GITHUB_TOKEN",
            "github_token",
            "github.token",
            github_token(r),
        ),
        "slack_token" => s(
            "SLACK_BOT_TOKEN",
            "bot_token",
            "slack.botToken",
            slack_token(r),
        ),
        "slack_webhook" => {
            // The secret is the path; the host and "/services/" are public.
            let mut x = s(
                "SLACK_WEBHOOK_URL",
                "webhook_url",
                "slack.webhookUrl",
                slack_webhook(r),
            );
            x.before = "https://hooks.slack.com/services/".into();
            x
        }
        "stripe_key" => s(
            "STRIPE_SECRET_KEY",
            "secret_key",
            "stripe.secretKey",
            stripe_key(r),
        ),
        "google_api_key" => s(
            "GOOGLE_MAPS_API_KEY",
            "maps_api_key",
            "google.maps.apiKey",
            google_api_key(r),
        ),
        "sendgrid_key" => s(
            "SENDGRID_API_KEY",
            "api_key",
            "sendgrid.apiKey",
            sendgrid_key(r),
        ),
        "jwt" => s(
            "SERVICE_TOKEN",
            "service_token",
            "auth.serviceToken",
            jwt(r, &c.p),
        ),
        "bearer_token" => {
            let mut x = s(
                "API_AUTH_HEADER",
                "authorization",
                "http.headers.authorization",
                bearer_token(r),
            );
            x.before = "Bearer ".into();
            x
        }
        "basic_auth" => {
            let mut x = s(
                "UPSTREAM_AUTHORIZATION",
                "authorization",
                "proxy.authorization",
                basic_auth(r, &c.p),
            );
            x.before = "Basic ".into();
            x
        }
        "url_password" => {
            let (env, yaml, props, scheme, user, host) = pick(
                r,
                &[
                    (
                        "DATABASE_URL",
                        "url",
                        "spring.datasource.url",
                        "postgres",
                        "app",
                        "db.internal:5432/orders",
                    ),
                    (
                        "REDIS_URL",
                        "redis_url",
                        "spring.redis.url",
                        "redis",
                        "",
                        "cache.internal:6379/0",
                    ),
                    (
                        "AMQP_URL",
                        "amqp_url",
                        "spring.rabbitmq.addresses",
                        "amqp",
                        "worker",
                        "rabbitmq:5672/%2F",
                    ),
                    (
                        "MONGODB_URI",
                        "uri",
                        "spring.data.mongodb.uri",
                        "mongodb+srv",
                        "admin",
                        "cluster0.x7k2p.mongodb.net/prod?retryWrites=true",
                    ),
                    (
                        "ARTIFACTORY_URL",
                        "registry",
                        "maven.repo.url",
                        "https",
                        "deployer",
                        "artifacts.internal/artifactory/libs-release",
                    ),
                ],
            );
            let mut x = s(env, yaml, props, password(r, PwdChars::Url));
            x.before = format!("{scheme}://{user}:");
            x.after = format!("@{host}");
            x
        }
        "password_assignment" => {
            let (env, yaml, props) = pick(
                r,
                &[
                    ("DB_PASSWORD", "password", "spring.datasource.password"),
                    ("POSTGRES_PASSWORD", "password", "db.password"),
                    ("SMTP_PASSWORD", "smtp_password", "mail.smtp.password"),
                    ("REDIS_PASSWORD", "redis_password", "spring.redis.password"),
                    ("ADMIN_PASSWORD", "admin_password", "app.admin.password"),
                    ("MYSQL_ROOT_PASSWORD", "passwd", "jdbc.pwd"),
                ],
            );
            s(env, yaml, props, password(r, PwdChars::Any))
        }
        "jdbc_password" => {
            let pw = password(r, PwdChars::Url);
            let mut x = s("JDBC_URL", "url", "spring.datasource.url", pw);
            match range(r, 0, 2) {
                0 => {
                    x.before =
                        "jdbc:postgresql://db.internal:5432/orders?user=orders&password=".into();
                    x.after = "&sslmode=require".into();
                }
                1 => {
                    x.before = "jdbc:mysql://mysql-primary:3306/shop?user=root&password=".into();
                    x.after = "&useSSL=false&serverTimezone=UTC".into();
                }
                _ => {
                    x.before = "jdbc:sqlserver://sql01.corp.local:1433;databaseName=Billing;user=svc_billing;password=".into();
                    x.after = ";encrypt=true;trustServerCertificate=false".into();
                }
            }
            x
        }
        "adonet_password" => {
            let mut x = s(
                "ConnectionStrings__Default",
                "connection_string",
                "db.connectionString",
                password(r, PwdChars::Url),
            );
            let (before, after) = pick(
                r,
                &[
                    (
                        "Server=tcp:prod-sql.database.windows.net,1433;Initial Catalog=Orders;Persist Security Info=False;User ID=orders_app;Password=",
                        ";MultipleActiveResultSets=False;Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;",
                    ),
                    (
                        "Data Source=SQL01\\PROD;Initial Catalog=Crm;User Id=crm;Password=",
                        ";",
                    ),
                    (
                        "Server=db01;Database=Billing;Uid=billing;Pwd=",
                        ";TrustServerCertificate=True",
                    ),
                    (
                        "Host=pg.internal;Port=5432;Database=app;Username=app;Password=",
                        ";SSL Mode=Require",
                    ),
                ],
            );
            x.before = before.into();
            x.after = after.into();
            x
        }
        "pem_private_key" => s(
            "TLS_PRIVATE_KEY",
            "private_key",
            "server.ssl.key",
            String::new(),
        ),
        _ => {
            let (env, yaml, props) = pick(
                r,
                &[
                    ("CLIENT_SECRET", "client_secret", "oauth.clientSecret"),
                    ("API_KEY", "apiKey", "api.key"),
                    ("SECRET_KEY", "secret_key", "app.secretKey"),
                    ("AUTH_TOKEN", "auth_token", "auth.token"),
                    ("X_API_KEY", "x-api-key", "partner.apiKey"),
                    ("ENCRYPTION_KEY", "encryption_key", "app.encryptionKey"),
                ],
            );
            s(env, yaml, props, generic_secret(r))
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Syn {
    Env,
    Yaml(usize),
    Props,
}

/// One config entry holding a secret, newline included.
fn secret_entry(r: &mut Rng8, c: &Cust, kind: &'static str, syn: Syn, f: &mut Frag) {
    let s = secret(r, c, kind);
    if kind == "pem_private_key" {
        match syn {
            Syn::Yaml(indent) => {
                let pad = " ".repeat(indent);
                let inner = " ".repeat(indent + 2);
                f.t(&format!("{pad}{}: |\n{inner}", s.yaml))
                    .p(kind, pem_private_key(r, &inner))
                    .t("\n");
            }
            Syn::Env => {
                let pem = pem_private_key(r, "").replace('\n', "\\n");
                f.t(&format!("{}=\"", s.env)).p(kind, pem).t("\\n\"\n");
            }
            Syn::Props => {
                f.t("# server.ssl.key (inline)\n")
                    .p(kind, pem_private_key(r, ""))
                    .t("\n");
            }
        }
        return;
    }
    let quote = match syn {
        Syn::Env | Syn::Yaml(_) if chance(r, 0.25) => "\"",
        _ => "",
    };
    match syn {
        Syn::Env => f.t(&format!("{}=", s.env)),
        Syn::Yaml(indent) => f.t(&format!("{}{}: ", " ".repeat(indent), s.yaml)),
        Syn::Props => f.t(&format!("{}=", s.props)),
    };
    f.t(quote)
        .t(&s.before)
        .p(s.kind, s.value)
        .t(&s.after)
        .t(quote)
        .t("\n");
}

/// One config entry holding a negative, newline included.
fn negative_entry(r: &mut Rng8, syn: Syn, f: &mut Frag) {
    let (env, yaml, props, kind, value): (&str, &str, &str, &'static str, String) =
        match range(r, 0, 13) {
            0 => ("PORT", "port", "server.port", "port", port(r)),
            1 => (
                "APP_VERSION",
                "version",
                "app.version",
                "version",
                version(r),
            ),
            2 => (
                "DB_PASSWORD",
                "password",
                "spring.datasource.password",
                "placeholder",
                pick(
                    r,
                    &[
                        "${DB_PASSWORD}",
                        "********",
                        "${env:DB_PASSWORD}",
                        "<your-password>",
                        "{{ db_password }}",
                    ],
                )
                .to_string(),
            ),
            3 => (
                "PASSWORD_RESET_URL",
                "password_reset_url",
                "app.password-reset-url",
                "password_url",
                pick(
                    r,
                    &[
                        "/reset",
                        "/account/password/reset",
                        "https://app.example.com/password/reset",
                    ],
                )
                .to_string(),
            ),
            4 => (
                "STRIPE_PUBLISHABLE_KEY",
                "publishable_key",
                "stripe.publishableKey",
                "publishable_key",
                stripe_publishable_key(r),
            ),
            5 => (
                "BUILD_SHA",
                "commit",
                "git.commit.id",
                "git_hash",
                git_hash(r),
            ),
            6 => (
                "REQUEST_TIMEOUT",
                "timeout",
                "http.client.timeout",
                "duration",
                duration(r),
            ),
            7 => (
                "MAX_BODY_BYTES",
                "max_body_bytes",
                "server.max-http-request-header-size",
                "byte_count",
                range(r, 1024, 10_485_760).to_string(),
            ),
            8 => (
                "API_KEY",
                "api_key",
                "api.key",
                "placeholder",
                pick(
                    r,
                    &[
                        "${API_KEY}",
                        "<YOUR_API_KEY>",
                        "<api-key>",
                        "${SECRET_API_KEY:-}",
                    ],
                )
                .to_string(),
            ),
            9 => ("TENANT_ID", "tenant_id", "app.tenant-id", "uuid", uuid(r)),
            10 => (
                "RELEASE_AUTHOR",
                "author",
                "build.author",
                "author_field",
                pick(
                    r,
                    &[
                        "release-bot",
                        "dependabot[bot]",
                        "ci-pipeline",
                        "renovate[bot]",
                    ],
                )
                .to_string(),
            ),
            11 => (
                "IMAGE_DIGEST",
                "digest",
                "image.digest",
                "sha256",
                sha256(r),
            ),
            12 => (
                "CLIENT_SECRET",
                "client_secret",
                "oauth.client-secret",
                "placeholder",
                pick(
                    r,
                    &[
                        "${CLIENT_SECRET}",
                        "********",
                        "${vault:secret/app#client_secret}",
                    ],
                )
                .to_string(),
            ),
            _ => (
                "TOKEN_TYPE",
                "token_type",
                "oauth.token-type",
                "token_type",
                pick(r, &["bearer", "Bearer"]).to_string(),
            ),
        };
    match syn {
        Syn::Env => f.t(&format!("{env}=")),
        Syn::Yaml(indent) => f.t(&format!("{}{yaml}: ", " ".repeat(indent))),
        Syn::Props => f.t(&format!("{props}=")),
    };
    f.n(kind, value).t("\n");
}

/// A value for a JSON member holding a secret: (key, string fragment).
fn secret_json(r: &mut Rng8, c: &Cust, kind: &'static str) -> (String, Frag) {
    let s = secret(r, c, kind);
    let key = match kind {
        "pem_private_key" => "privateKey".to_string(),
        "password_assignment" => {
            pick(r, &["password", "Password", "db_password", "smtpPassword"]).to_string()
        }
        "generic_secret" => pick(
            r,
            &[
                "client_secret",
                "apiKey",
                "secretKey",
                "X-Api-Key",
                "auth_token",
                "access_token",
                "refresh_token",
            ],
        )
        .to_string(),
        _ => {
            // camelCase of the YAML key
            let mut out = String::new();
            let mut up = false;
            for ch in s.yaml.chars() {
                if ch == '_' || ch == '-' {
                    up = true;
                } else if up {
                    out.extend(ch.to_uppercase());
                    up = false;
                } else {
                    out.push(ch);
                }
            }
            out
        }
    };
    let mut f = Frag::new();
    if kind == "pem_private_key" {
        f.p(kind, pem_private_key(r, "")).t("\n");
    } else {
        f.t(&s.before).p(kind, s.value).t(&s.after);
    }
    (key, f)
}

// ----------------------------------------------------------------- JSON

/// A JSON value whose strings are fragments.
pub enum Jv {
    Obj(Vec<(String, Jv)>),
    Arr(Vec<Jv>),
    Str(Frag),
    /// String content already escaped by the caller (deliberate `\u0040`).
    Raw(Frag),
    Num(Label, String),
    Bool(bool),
    Null,
}

fn js(s: &str) -> Jv {
    let mut f = Frag::new();
    f.t(s);
    Jv::Str(f)
}

fn jp(kind: &'static str, v: impl Into<String>) -> Jv {
    let mut f = Frag::new();
    f.p(kind, v);
    Jv::Str(f)
}

fn jn(kind: &'static str, v: impl Into<String>) -> Jv {
    let mut f = Frag::new();
    f.n(kind, v);
    Jv::Str(f)
}

fn obj(members: Vec<(&str, Jv)>) -> Jv {
    Jv::Obj(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// An e-mail member value; now and then with `@` written as `\u0040`.
fn jemail(r: &mut Rng8, v: String) -> Jv {
    if chance(r, 0.12) {
        let mut f = Frag::new();
        f.p("email", v.replace('@', "\\u0040"));
        Jv::Raw(f)
    } else {
        jp("email", v)
    }
}

pub fn write_json(v: &Jv, f: &mut Frag, style: JsonStyle, pretty: bool, depth: usize) {
    let nl = |f: &mut Frag, d: usize| {
        if pretty {
            f.t("\n");
            f.t(&"  ".repeat(d));
        }
    };
    match v {
        Jv::Obj(members) => {
            f.t("{");
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    f.t(",");
                }
                nl(f, depth + 1);
                f.t("\"")
                    .t(&json_escape(k, style))
                    .t(if pretty { "\": " } else { "\":" });
                write_json(v, f, style, pretty, depth + 1);
            }
            if !members.is_empty() {
                nl(f, depth);
            }
            f.t("}");
        }
        Jv::Arr(items) => {
            f.t("[");
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    f.t(",");
                }
                nl(f, depth + 1);
                write_json(v, f, style, pretty, depth + 1);
            }
            if !items.is_empty() {
                nl(f, depth);
            }
            f.t("]");
        }
        Jv::Str(s) => {
            f.t("\"")
                .append(&s.map(|_, x| json_escape(x, style)))
                .t("\"");
        }
        Jv::Raw(s) => {
            f.t("\"").append(s).t("\"");
        }
        Jv::Num(label, n) => {
            f.piece(*label, n.clone());
        }
        Jv::Bool(b) => {
            f.t(if *b { "true" } else { "false" });
        }
        Jv::Null => {
            f.t("null");
        }
    }
}

fn json_style(r: &mut Rng8) -> JsonStyle {
    match range(r, 0, 9) {
        0 | 1 => JsonStyle::Ascii,
        2 => JsonStyle::Slashes,
        _ => JsonStyle::Plain,
    }
}

// ---------------------------------------------------------- error texts

/// An error message carrying a value, as applications write them.
fn error_message(r: &mut Rng8, c: &Cust, f: &mut Frag) {
    match range(r, 0, 21) {
        0 => {
            f.t("No user found with email ")
                .p("email", email_value(r, c));
        }
        1 => {
            f.t("ERROR: duplicate key value violates unique constraint \"users_email_key\"\n  Detail: Key (email)=(")
                .p("email", email_value(r, c))
                .t(") already exists.");
        }
        2 => {
            f.t("Card ")
                .p("card", card(r))
                .t(" declined by issuer (code 05)");
        }
        3 => {
            f.t("IBAN ")
                .p("iban", iban(r, c.loc))
                .t(" rejected by SEPA gateway: account closed");
        }
        4 => {
            let (v, _) = phone(r, c.loc);
            f.t("SMS delivery failed for phone number ")
                .p("phone", v)
                .t(": carrier rejected");
        }
        5 => {
            let s = secret(r, c, "jdbc_password");
            f.t("Connection to ")
                .t(&s.before)
                .p("jdbc_password", s.value)
                .t(&s.after)
                .t(" refused. Check that the hostname and port are correct");
        }
        6 => {
            f.t("The AWS Access Key Id you provided does not exist in our records. (Service: Amazon S3; Status Code: 403; Error Code: InvalidAccessKeyId; Request ID: ")
                .n("trace_id", chars(r, UPPER_DIGITS, 16))
                .t("; AccessKeyId: ")
                .p("aws_access_key", aws_access_key(r))
                .t(")");
        }
        7 => {
            f.t("JWT expired at ")
                .n("timestamp", timestamp(r))
                .t(". Rejected token: ")
                .p("jwt", jwt(r, &c.p));
        }
        8 => {
            let k = id_kind(r, c.loc);
            let v = id_value(r, c, k);
            f.t("KYC check failed: ")
                .t(id_context(r, k))
                .p(k, v)
                .t(" does not match records for customer ")
                .n("numeric_id", numeric_id(r));
        }
        9 => {
            f.t("Could not geocode address '")
                .p("postal_address", postal_address(r, c.loc, false))
                .t("'");
        }
        10 => {
            f.t("[401 Unauthorized] during [POST] to [https://api.")
                .t(c.co)
                .t(".com/v1/sync] headers: {X-Api-Key=[")
                .p("generic_secret", generic_secret(r))
                .t("]}");
        }
        11 => {
            f.t("535 5.7.8 Authentication failed for ")
                .p("email", email_value(r, c));
        }
        12 => {
            let s = secret(r, c, "url_password");
            f.t("dial tcp: lookup failed for ")
                .t(&s.before)
                .p("url_password", s.value)
                .t(&s.after);
        }
        13 => {
            f.t("Invalid API Key provided: ")
                .p("stripe_key", stripe_key(r));
        }
        14 => {
            f.t("request from ")
                .p("ipv4", ipv4(r))
                .t(" blocked by rate limiter after ")
                .n("numeric_id", range(r, 100, 9999).to_string())
                .t(" attempts");
        }
        15 => {
            f.t("invalid_auth: token ")
                .p("slack_token", slack_token(r))
                .t(" has been revoked");
        }
        16 => {
            f.t("Bad credentials for https://api.github.com/user (token ")
                .p("github_token", github_token(r))
                .t(")");
        }
        17 => {
            f.t("device ")
                .p("mac", mac(r))
                .t(" not registered for account ")
                .n("numeric_id", numeric_id(r));
        }
        18 => {
            f.t("login failed for user ")
                .p("email", email_value(r, c))
                .t(" from ")
                .p("ipv6", ipv6(r));
        }
        19 => {
            f.t("Customer profile incomplete: ")
                .t(words(c.loc).dob_ctx[0])
                .p("date_of_birth", {
                    let b = birth_date(r);
                    dob(r, c.loc, b)
                })
                .t(" is before minimum date");
        }
        20 => {
            let s = secret(r, c, "adonet_password");
            f.t("Login failed for connection string '")
                .t(&s.before)
                .p("adonet_password", s.value)
                .t(&s.after)
                .t("'");
        }
        _ => {
            neg_phrase(r, f);
            f.t(" could not be processed");
        }
    }
}

/// A message with only negatives in it.
fn plain_message(r: &mut Rng8, f: &mut Frag) {
    match range(r, 0, 9) {
        0 => {
            f.t("Processed ");
            neg_phrase(r, f);
        }
        8 => {
            f.t("oauth callback ok: token_type=")
                .n("token_type", "bearer")
                .t("&expires_in=")
                .n("duration", pick(r, &["3600", "7200", "86400"]))
                .t("&state=")
                .n("uuid", uuid(r));
        }
        9 => {
            f.t("login page rendered with password_reset_url=")
                .n(
                    "password_url",
                    pick(
                        r,
                        &["/reset", "/account/password/reset", "/users/password/new"],
                    ),
                )
                .t(" in ")
                .n("duration", duration(r));
        }
        1 => {
            f.t("Cache miss for key user:")
                .n("numeric_id", numeric_id(r))
                .t(", loaded in ")
                .n("duration", duration(r));
        }
        2 => {
            f.t("Started Application in ")
                .n("duration", duration(r))
                .t(" (JVM running for 14.2)");
        }
        3 => {
            f.t("GET /api/v1/orders/")
                .n("order_number", order_number(r))
                .t(" completed with status ")
                .n("http_status", http_status(r));
        }
        4 => {
            f.t("Deployed build ")
                .n("version", version(r))
                .t(" (")
                .n("git_hash", git_hash(r))
                .t(")");
        }
        5 => {
            f.t("span_id=")
                .n("trace_id", chars(r, HEX, 16))
                .t(" parent=")
                .n("trace_id", chars(r, HEX, 16))
                .t(" ok");
        }
        6 => {
            f.t("author=")
                .n(
                    "author_field",
                    pick(r, &["release-bot", "dependabot[bot]", "ci-pipeline"]),
                )
                .t(" merged PR #")
                .n("numeric_id", range(r, 100, 99_999).to_string());
        }
        _ => {
            f.t("uploaded ")
                .n("byte_count", byte_count(r))
                .t(" to bucket backups-eu in ")
                .n("duration", duration(r));
        }
    }
}

// ----------------------------------------------------------------- logs

const JAVA_CLASSES: &[(&str, &str)] = &[
    ("billing", "PaymentService"),
    ("billing", "InvoiceController"),
    ("users", "UserService"),
    ("users", "AccountController"),
    ("sync", "SyncWorker"),
    ("kyc", "IdentityVerifier"),
    ("notify", "SmsSender"),
    ("geo", "AddressResolver"),
];

fn java_trace(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    let (pkg, class) = pick(r, JAVA_CLASSES);
    let t = instant(r);
    if chance(r, 0.5) {
        f.n("timestamp", t.iso_ms())
            .t(" ERROR ")
            .n("numeric_id", range(r, 1000, 99_999).to_string())
            .t(" --- [nio-");
        f.n("port", port(r))
            .t(&format!(
                "-exec-{}] c.{}.{pkg}.{class}",
                range(r, 1, 20),
                c.co
            ))
            .t("     : ");
    } else {
        f.n("timestamp", t.log('.')).t(&format!(
            " [http-nio-8080-exec-{}] ERROR com.{}.{pkg}.{class} - ",
            range(r, 1, 20),
            c.co
        ));
    }
    f.t("Request failed: ");
    neg_phrase(r, &mut f);
    f.t("\n");
    let exc = pick(
        r,
        &[
            "java.lang.IllegalStateException",
            "org.springframework.dao.DataIntegrityViolationException",
            "com.fasterxml.jackson.databind.JsonMappingException",
            "java.lang.IllegalArgumentException",
        ],
    );
    let exc = if chance(r, 0.5) {
        format!("com.{}.{pkg}.{class}Exception", c.co)
    } else {
        exc.to_string()
    };
    f.t(&exc).t(": ");
    error_message(r, c, &mut f);
    f.t("\n");
    for _ in 0..range(r, 3, 8) {
        let (p2, c2) = pick(r, JAVA_CLASSES);
        let m = pick(
            r,
            &[
                "handle",
                "process",
                "apply",
                "invoke",
                "doFilter",
                "execute",
                "lambda$run$0",
            ],
        );
        f.t(&format!("\tat com.{}.{p2}.{c2}.{m}({c2}.java:", c.co))
            .n("line_number", range(r, 12, 1400).to_string())
            .t(")\n");
    }
    f.t("\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:")
        .n("line_number", "885")
        .t(")\n");
    if chance(r, 0.6) {
        f.t("Caused by: ");
        let cause = pick(
            r,
            &[
                "org.postgresql.util.PSQLException",
                "java.net.SocketTimeoutException",
                "javax.net.ssl.SSLHandshakeException",
                "org.apache.http.HttpException",
            ],
        );
        f.t(cause).t(": ");
        error_message(r, c, &mut f);
        f.t("\n\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:").n("line_number", range(r, 100, 400).to_string()).t(")\n");
        f.t(&format!(
            "\t... {} common frames omitted\n",
            range(r, 10, 80)
        ));
    }
    f
}

fn python_trace(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    let t = instant(r);
    f.n("timestamp", t.log(','))
        .t(" ERROR [")
        .t(pick(
            r,
            &[
                "billing.tasks",
                "app.views",
                "sync.worker",
                "celery.app.trace",
            ],
        ))
        .t("] Task ");
    f.t("charge_customer[")
        .n("uuid", uuid(r))
        .t("] raised unexpected: PaymentError()\n");
    f.t("Traceback (most recent call last):\n");
    f.t("  File \"/usr/local/lib/python3.11/site-packages/celery/app/trace.py\", line ")
        .n("line_number", range(r, 400, 800).to_string())
        .t(", in trace_task\n    R = retval = fun(*args, **kwargs)\n");
    f.t("  File \"/app/billing/tasks.py\", line ")
        .n("line_number", range(r, 10, 300).to_string())
        .t(", in charge_customer\n    resp = client.charge(customer, amount=amount)\n");
    if chance(r, 0.35) {
        f.t("  File \"/app/billing/settings.py\", line ").n("line_number", range(r, 10, 200).to_string()).t(", in <module>\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'USER': 'billing', 'PASSWORD': '")
            .p("password_assignment", password(r, PwdChars::Url))
            .t("', 'HOST': 'db'}}\n");
    }
    f.t("  File \"/app/billing/client.py\", line ")
        .n("line_number", range(r, 10, 300).to_string())
        .t(", in charge\n    raise PaymentError(msg)\n");
    f.t(pick(
        r,
        &[
            "billing.client.PaymentError",
            "requests.exceptions.HTTPError",
            "ValueError",
            "psycopg2.OperationalError",
        ],
    ))
    .t(": ");
    if chance(r, 0.3) {
        f.t("401 Client Error: Unauthorized for url: https://api.")
            .t(c.co)
            .t(".com/v2/customers?email=")
            .p("email", url_encode(&email_value(r, c)));
        if chance(r, 0.5) {
            f.t("&api_key=").p("generic_secret", generic_secret(r));
        } else {
            f.t("&page=").n("numeric_id", range(r, 2, 40).to_string());
        }
    } else {
        error_message(r, c, &mut f);
    }
    f.t("\n");
    f
}

fn node_trace(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    f.n("timestamp", instant(r).iso_ms())
        .t(" error: Unhandled rejection AxiosError: Request failed with status code ")
        .n("http_status", pick(r, &["401", "403", "500"]))
        .t("\n");
    f.t("    at settle (/app/node_modules/axios/dist/node/axios.cjs:")
        .n("line_number", "1966")
        .t(":12)\n");
    f.t("    at IncomingMessage.handleStreamEnd (/app/node_modules/axios/dist/node/axios.cjs:")
        .n("line_number", "3065")
        .t(":11)\n");
    f.t("    at process.processTicksAndRejections (node:internal/process/task_queues:95:5) {\n");
    f.t("  code: 'ERR_BAD_REQUEST',\n  config: {\n");
    let (url, auth_kind) = pick(
        r,
        &[
            ("https://api.sendgrid.com/v3/mail/send", "sendgrid_key"),
            ("https://api.stripe.com/v1/customers", "stripe_key"),
            ("https://slack.com/api/chat.postMessage", "slack_token"),
            (
                "https://api.github.com/repos/acme/app/issues",
                "github_token",
            ),
            ("https://api.partner.example/v1/orders", "bearer_token"),
            ("https://api.partner.example/v1/orders", "jwt"),
        ],
    );
    f.t("    url: '")
        .t(url)
        .t("',\n    method: 'post',\n    headers: Object [AxiosHeaders] {\n");
    f.t("      Accept: 'application/json, text/plain, */*',\n      'Content-Type': 'application/json',\n");
    let token = match auth_kind {
        "sendgrid_key" => sendgrid_key(r),
        "stripe_key" => stripe_key(r),
        "slack_token" => slack_token(r),
        "github_token" => github_token(r),
        "jwt" => jwt(r, &c.p),
        _ => bearer_token(r),
    };
    f.t("      Authorization: 'Bearer ")
        .p(auth_kind, token)
        .t("',\n");
    f.t("      'User-Agent': 'axios/")
        .n("version", version(r))
        .t("'\n    },\n");
    let mut data = Frag::new();
    data.t("{\"to\":\"")
        .p("email", email_value(r, c))
        .t("\",\"name\":\"")
        .p("person_name", Person::sample(r, c.loc).full())
        .t("\",\"order\":\"");
    data.n("order_number", order_number(r)).t("\"}");
    f.t("    data: '").append(&data).t("'\n  },\n");
    f.t("  response: { status: ")
        .n("http_status", pick(r, &["401", "403", "500"]))
        .t(", statusText: 'Unauthorized' }\n}\n");
    f
}

fn go_trace(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    let t = instant(r);
    if chance(r, 0.5) {
        f.n("timestamp", t.nginx_error())
            .t(" http: panic serving ")
            .p("ipv4", ipv4(r))
            .t(":")
            .n("port", range(r, 32768, 60999).to_string());
        f.t(": runtime error: invalid memory address or nil pointer dereference\n");
        f.t(&format!("goroutine {} [running]:\n", range(r, 1, 9000)));
        f.t("net/http.(*conn).serve.func1()\n\t/usr/local/go/src/net/http/server.go:")
            .n("line_number", "1898")
            .t(" +0xbe\n");
        f.t(&format!("github.com/{}/api/internal/handler.(*Orders).Get(0xc000{}, {{0x7a1b20, 0xc0001c2000}}, 0xc0001b8000)\n\t/src/internal/handler/orders.go:", c.co, chars(r, HEX, 6)));
        f.n("line_number", range(r, 20, 400).to_string())
            .t(" +0x2f4\n");
        f.n("timestamp", t.nginx_error()).t(" request context: ");
        error_message(r, c, &mut f);
        f.t("\n");
    } else {
        f.t("time=\"")
            .n("timestamp", t.iso_ms())
            .t("\" level=error msg=\"");
        let mut m = Frag::new();
        error_message(r, c, &mut m);
        f.append(&m.map(|_, s| s.replace('"', "\\\"").replace('\n', "\\n")));
        f.t("\" component=")
            .t(pick(r, &["worker", "api", "scheduler"]))
            .t(" trace_id=")
            .n("trace_id", chars(r, HEX, 32))
            .t("\n");
        f.t("panic: ");
        let s = secret(r, c, "url_password");
        f.t("failed to connect to `")
            .t(&s.before)
            .p("url_password", s.value)
            .t(&s.after)
            .t("`: server error (FATAL: password authentication failed (SQLSTATE 28P01))\n\n");
        f.t("goroutine 1 [running]:\nmain.main()\n\t/src/cmd/server/main.go:")
            .n("line_number", range(r, 20, 200).to_string())
            .t(" +0x1d\n");
        f.t("exit status 2\n");
    }
    f
}

const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "okhttp/4.12.0",
    "python-requests/2.31.0",
    "curl/8.5.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
];

fn access_line(r: &mut Rng8, c: &Cust, f: &mut Frag) {
    if chance(r, 0.8) {
        f.p("ipv4", ipv4(r));
    } else {
        f.p("ipv6", ipv6(r));
    }
    f.t(" - - [").n("timestamp", instant(r).nginx()).t("] \"");
    let method = pick(r, &["GET", "GET", "GET", "POST", "PUT", "DELETE"]);
    f.t(method).t(" ");
    match range(r, 0, 11) {
        0 => {
            f.t("/api/v1/users?email=")
                .p("email", url_encode(&email_value(r, c)))
                .t("&page=1");
        }
        1 => {
            f.t("/api/v2/orders/").n("order_number", order_number(r));
        }
        2 => {
            f.t("/maps/api/geocode/json?address=Main&key=")
                .p("google_api_key", google_api_key(r));
        }
        3 => {
            f.t("/oauth/callback?code=")
                .t(&chars(r, ALNUM, 20))
                .t("&state=")
                .n("uuid", uuid(r));
        }
        4 => {
            f.t("/reset?token=")
                .p("generic_secret", chars(r, ALNUM, 40))
                .t("&email=")
                .p("email", url_encode(&email_value(r, c)));
        }
        5 => {
            f.t("/static/js/app.")
                .n("git_hash", chars(r, HEX, 7))
                .t(".js");
        }
        6 => {
            f.t("/api/search?q=shoes&access_token=")
                .p("generic_secret", chars(r, ALNUM, 36));
        }
        7 => {
            let (v, _) = phone(r, c.loc);
            f.t("/api/v1/sms/verify?phone=").p("phone", url_encode(&v));
        }
        8 => {
            f.t("/health");
        }
        9 => {
            f.t("/api/v1/tickets/")
                .n("numeric_id", numeric_id(r))
                .t("/comments");
        }
        _ => {
            f.t("/api/v1/items?limit=50&offset=")
                .n("numeric_id", range(r, 100, 9000).to_string());
        }
    }
    f.t(" HTTP/1.1\" ")
        .n("http_status", http_status(r))
        .t(" ")
        .n("byte_count", range(r, 0, 99_999).to_string());
    f.t(" \"-\" \"")
        .t(pick(r, AGENTS))
        .t("\" rt=")
        .n("duration", format!("0.{:03}", range(r, 1, 999)))
        .t("\n");
}

fn nginx_access(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    for _ in 0..range(r, 3, 9) {
        access_line(r, c, &mut f);
    }
    f
}

fn nginx_error(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    for _ in 0..range(r, 1, 4) {
        let pid = range(r, 100, 9999).to_string();
        f.n("timestamp", instant(r).nginx_error())
            .t(" [error] ")
            .t(&pid)
            .t("#")
            .t(&pid)
            .t(": *")
            .n("numeric_id", range(r, 1000, 999_999).to_string());
        f.t(pick(r, &[" upstream timed out (110: Connection timed out) while reading response header from upstream", " connect() failed (111: Connection refused) while connecting to upstream", " upstream prematurely closed connection while reading response header from upstream"]));
        f.t(", client: ").p("ipv4", ipv4(r)).t(&format!(", server: api.{}.com, request: \"POST /v1/payments HTTP/1.1\", upstream: \"http://10.0.2.15:", c.co));
        f.n("port", port(r))
            .t("/v1/payments\", host: \"api.")
            .t(c.co)
            .t(".com\"");
        if chance(r, 0.5) {
            f.t(", referrer: \"https://shop.")
                .t(c.co)
                .t(".com/checkout?email=")
                .p("email", url_encode(&email_value(r, c)))
                .t("\"");
        }
        f.t("\n");
    }
    f
}

/// One JSON log event object.
fn json_event(r: &mut Rng8, c: &Cust) -> Jv {
    let mut members: Vec<(&str, Jv)> = vec![
        ("ts", jn("timestamp", instant(r).iso_ms())),
        ("level", js(pick(r, &["error", "warn", "info"]))),
        (
            "logger",
            js(pick(r, &["auth", "checkout", "sync", "notifications"])),
        ),
    ];
    let mut msg = Frag::new();
    if chance(r, 0.5) {
        error_message(r, c, &mut msg);
    } else {
        plain_message(r, &mut msg);
    }
    members.push(("msg", Jv::Str(msg)));
    match range(r, 0, 5) {
        0 => {
            let e = email_value(r, c);
            members.push((
                "user",
                obj(vec![
                    ("id", Jv::Num(Label::Neg("numeric_id"), numeric_id(r))),
                    ("email", jemail(r, e)),
                ]),
            ));
        }
        1 => {
            let p = Person::sample(r, c.loc);
            members.push((
                "customer",
                obj(vec![
                    ("name", jp("person_name", p.full())),
                    ("phone", jp("phone", phone(r, c.loc).0)),
                ]),
            ));
        }
        2 => {
            members.push(("ip", jp("ipv4", ipv4(r))));
        }
        3 => {
            let p = Person::sample(r, c.loc);
            members.push(("first_name", jp("person_name", p.first)));
            members.push(("last_name", jp("person_name", p.last)));
        }
        _ => {
            members.push((
                "http",
                obj(vec![
                    ("status", Jv::Num(Label::Neg("http_status"), http_status(r))),
                    (
                        "duration_ms",
                        Jv::Num(Label::Neg("numeric_id"), range(r, 1, 30_000).to_string()),
                    ),
                ]),
            ));
        }
    }
    members.push(("trace_id", jn("trace_id", chars(r, HEX, 32))));
    members.push(("span_id", jn("trace_id", chars(r, HEX, 16))));
    members.push(("version", jn("version", version(r))));
    obj(members)
}

fn ndjson(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    let style = if chance(r, 0.3) {
        JsonStyle::Ascii
    } else {
        JsonStyle::Plain
    };
    for _ in 0..range(r, 2, 6) {
        let ev = json_event(r, c);
        write_json(&ev, &mut f, style, false, 0);
        f.t("\n");
    }
    f
}

fn syslog(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    for _ in 0..range(r, 2, 6) {
        f.n("timestamp", instant(r).syslog())
            .t(" web-")
            .t(&range(r, 1, 9).to_string())
            .t(" ");
        match range(r, 0, 4) {
            0 => {
                f.t("sshd[")
                    .t(&range(r, 100, 99_999).to_string())
                    .t("]: Failed password for invalid user admin from ")
                    .p("ipv4", ipv4(r))
                    .t(" port ")
                    .n("port", range(r, 32768, 60999).to_string())
                    .t(" ssh2");
            }
            1 => {
                f.t("dhcpd: DHCPACK on 10.0.")
                    .t(&range(r, 0, 255).to_string())
                    .t(".")
                    .t(&range(r, 2, 254).to_string())
                    .t(" to ")
                    .p("mac", mac(r))
                    .t(" via eth0");
            }
            2 => {
                f.t("app[").t(&range(r, 100, 99_999).to_string()).t("]: ");
                error_message(r, c, &mut f);
            }
            3 => {
                f.t("postfix/smtp[")
                    .t(&range(r, 100, 99_999).to_string())
                    .t("]: ")
                    .t(&chars(r, "0123456789ABCDEF", 10))
                    .t(": to=<")
                    .p("email", email_value(r, c))
                    .t(">, relay=mx.example.net[203.0.113.25]:25, delay=")
                    .n("duration", format!("{}.{}", range(r, 0, 9), range(r, 0, 9)))
                    .t(", status=sent (250 2.0.0 OK)");
            }
            _ => {
                f.t("kernel: [")
                    .t(&format!(
                        "{}.{:06}",
                        range(r, 1000, 99_999),
                        range(r, 0, 999_999)
                    ))
                    .t("] eth0: link up");
            }
        }
        f.t("\n");
    }
    f
}

fn curl_dump(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    let host = format!("api.{}.com", c.co);
    let (hdr_name, kind) = pick(
        r,
        &[
            ("Authorization: Bearer ", "bearer_token"),
            ("Authorization: Bearer ", "jwt"),
            ("Authorization: Basic ", "basic_auth"),
            ("X-Api-Key: ", "generic_secret"),
            ("Authorization: token ", "github_token"),
        ],
    );
    let value = match kind {
        "bearer_token" => bearer_token(r),
        "jwt" => jwt(r, &c.p),
        "basic_auth" => basic_auth(r, &c.p),
        "github_token" => github_token(r),
        _ => generic_secret(r),
    };
    let path = format!("/v1/customers/{}", range(r, 1000, 999_999));
    f.t("$ curl -v -H \"")
        .t(hdr_name)
        .p(kind, value.clone())
        .t("\" https://")
        .t(&host)
        .t(&path)
        .t("\n");
    f.t("*   Trying 52.")
        .t(&format!(
            "{}.{}.{}",
            range(r, 0, 255),
            range(r, 0, 255),
            range(r, 1, 254)
        ))
        .t(":443...\n");
    f.t("* Connected to ").t(&host).t(" port 443\n");
    f.t("> GET ")
        .t(&path)
        .t(" HTTP/2\n> Host: ")
        .t(&host)
        .t("\n> User-Agent: curl/8.5.0\n");
    f.t("> ").t(hdr_name).p(kind, value).t("\n");
    if chance(r, 0.4) {
        f.t("> Cookie: session=").p("jwt", jwt(r, &c.p)).t("\n");
    }
    f.t(">\n< HTTP/2 ").n("http_status", http_status(r)).t("\n");
    let t = instant(r);
    f.t("< date: ")
        .n(
            "timestamp",
            format!(
                "{}, {:02} {} {} {} GMT",
                DAYS_SHORT[t.weekday()],
                t.date.d,
                MONTHS_SHORT[t.date.m as usize - 1],
                t.date.y,
                t.hms()
            ),
        )
        .t("\n< content-type: application/json\n< x-request-id: ")
        .n("uuid", uuid(r))
        .t("\n< content-length: ")
        .n("byte_count", range(r, 20, 4000).to_string())
        .t("\n<\n");
    let mut body = Frag::new();
    let resp = if chance(r, 0.4) {
        obj(vec![
            ("access_token", jp("generic_secret", chars(r, ALNUM, 40))),
            ("token_type", jn("token_type", "bearer")),
            (
                "expires_in",
                Jv::Num(
                    Label::Neg("numeric_id"),
                    pick(r, &["3600", "7200", "86400"]).to_string(),
                ),
            ),
            ("scope", js("read write")),
        ])
    } else {
        obj(vec![
            ("error", js("invalid_token")),
            ("error_description", js("The access token expired")),
            (
                "request_id",
                jn("trace_id", format!("req_{}", chars(r, ALNUM, 14))),
            ),
        ])
    };
    write_json(&resp, &mut body, JsonStyle::Plain, false, 0);
    f.append(&body).t("\n");
    f
}

fn config_yaml(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    f.t("# application.yml (prod)\nserver:\n  port: ")
        .n("port", port(r))
        .t("\n");
    f.t("spring:\n  datasource:\n");
    let k = pick(r, &["jdbc_password", "url_password", "jdbc_password"]);
    secret_entry(r, c, k, Syn::Yaml(4), &mut f);
    f.t("    username: orders\n");
    if chance(r, 0.7) {
        secret_entry(r, c, "password_assignment", Syn::Yaml(4), &mut f);
    } else {
        negative_entry(r, Syn::Yaml(4), &mut f);
    }
    f.t("  mail:\n    host: smtp.sendgrid.net\n    port: 587\n    username: apikey\n");
    if chance(r, 0.5) {
        f.t("    password: ")
            .p("sendgrid_key", sendgrid_key(r))
            .t("\n");
    } else {
        f.t("    password: ")
            .n("placeholder", pick(r, &["${SMTP_PASSWORD}", "********"]))
            .t("\n");
    }
    f.t("app:\n");
    for _ in 0..range(r, 2, 5) {
        let k = pick(r, SECRET_KINDS);
        secret_entry(r, c, k, Syn::Yaml(2), &mut f);
        if chance(r, 0.6) {
            negative_entry(r, Syn::Yaml(2), &mut f);
        }
    }
    if chance(r, 0.3) {
        f.t("  support-contact: ")
            .p("email", email_value(r, c))
            .t("\n");
    }
    f.t("logging:\n  level:\n    root: INFO\n");
    f
}

fn config_properties(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    f.t("# Generated by Spring Boot ")
        .n("version", version(r))
        .t("\n");
    f.t("server.port=")
        .n("port", port(r))
        .t("\nspring.application.name=orders\n");
    for _ in 0..range(r, 3, 6) {
        let k = pick(r, SECRET_KINDS);
        secret_entry(r, c, k, Syn::Props, &mut f);
        if chance(r, 0.5) {
            negative_entry(r, Syn::Props, &mut f);
        }
    }
    f.t("management.endpoints.web.exposure.include=health,info\n");
    f
}

fn config_env(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    f.t("NODE_ENV=production\nPORT=")
        .n("port", port(r))
        .t("\nLOG_LEVEL=info\n");
    for _ in 0..range(r, 3, 7) {
        let k = pick(r, SECRET_KINDS);
        secret_entry(r, c, k, Syn::Env, &mut f);
        if chance(r, 0.5) {
            negative_entry(r, Syn::Env, &mut f);
        }
    }
    f
}

fn docker_compose(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    f.t("services:\n  db:\n    image: postgres:16.2@sha256:")
        .n("sha256", sha256(r))
        .t("\n    environment:\n      POSTGRES_USER: app\n");
    if chance(r, 0.75) {
        f.t("      POSTGRES_PASSWORD: ")
            .p("password_assignment", password(r, PwdChars::Any))
            .t("\n");
    } else {
        f.t("      POSTGRES_PASSWORD: ")
            .n("placeholder", "${POSTGRES_PASSWORD}")
            .t("\n");
    }
    f.t("    ports:\n      - \"5432:5432\"\n  app:\n    image: ghcr.io/")
        .t(c.co)
        .t("/app:")
        .n("version", version(r))
        .t("\n    environment:\n");
    for _ in 0..range(r, 2, 4) {
        let k = pick(
            r,
            &[
                "url_password",
                "stripe_key",
                "aws_access_key",
                "aws_secret_key",
                "generic_secret",
                "slack_webhook",
                "google_api_key",
                "github_token",
            ],
        );
        f.t("      - ");
        secret_entry(r, c, k, Syn::Env, &mut f);
    }
    f.t("      - API_KEY=")
        .n("placeholder", "${API_KEY}")
        .t("\n");
    f.t("    ports:\n      - \"")
        .n("port", "8080")
        .t(":8080\"\n");
    f
}

fn chat(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    let t = instant(r);
    let mut minute = t.min;
    let mut line = |f: &mut Frag, who: &str| {
        minute = (minute + 1) % 60;
        f.t(&format!("[{:02}:{minute:02}] {who}: ", t.h));
    };
    line(&mut f, "Customer");
    f.t(pick(r, words(c.loc).intro)).t("\n");
    line(&mut f, "Agent");
    f.t("Sorry to hear that! Can you give me the email address on the account?\n");
    line(&mut f, "Customer");
    f.p("email", c.email.clone()).t("\n");
    for _ in 0..range(r, 1, 3) {
        line(&mut f, "Agent");
        f.t("Thanks. Could you confirm a few details for me?\n");
        line(&mut f, "Customer");
        let k = any_pii_kind(r, c.loc);
        mention(r, c, k, &mut f);
        f.t("\n");
    }
    line(&mut f, "Customer");
    f.t("this is the error I get: ");
    error_message(r, c, &mut f);
    f.t("\n");
    line(&mut f, "Agent");
    f.t("I've escalated this as ticket #")
        .n("numeric_id", numeric_id(r))
        .t(".\n");
    f
}

/// One of the pasted-log templates.
fn pasted(r: &mut Rng8, c: &Cust) -> (Frag, &'static str) {
    match range(r, 0, 13) {
        0 | 1 => (java_trace(r, c), "java"),
        2 => (python_trace(r, c), "python"),
        3 => (node_trace(r, c), "node"),
        4 => (go_trace(r, c), "go"),
        5 => (nginx_access(r, c), "nginx_access"),
        6 => (nginx_error(r, c), "nginx_error"),
        7 => (ndjson(r, c), "ndjson"),
        8 => (config_yaml(r, c), "yaml"),
        9 => (config_properties(r, c), "properties"),
        10 => (config_env(r, c), "env"),
        11 => (docker_compose(r, c), "compose"),
        12 => (curl_dump(r, c), "curl"),
        _ => (syslog(r, c), "syslog"),
    }
}

// --------------------------------------------------------------- prose

pub enum Block {
    Para(Frag),
    Pre(Frag),
}

fn greeting(r: &mut Rng8, to: &Person, loc: Loc, f: &mut Frag) {
    let w = words(loc);
    if chance(r, 0.35) {
        let (m, fe) = w.formal;
        let tpl = if to.female { fe } else { m };
        let (before, after) = tpl.split_once("{}").unwrap();
        let name = if matches!(loc, Loc::Da | Loc::Fi) {
            to.full()
        } else {
            to.formal_last()
        };
        f.t(before).p("person_name", name).t(after);
    } else if loc.is_en() && chance(r, 0.15) {
        f.t("Dear ").p("person_name", to.full()).t(",");
    } else {
        f.t(pick(r, w.greetings))
            .t(" ")
            .p("person_name", to.first)
            .t(",");
    }
}

fn signature(r: &mut Rng8, from: &Person, loc: Loc, c: &Cust, f: &mut Frag) {
    let w = words(loc);
    f.t(pick(r, w.signoffs)).t("\n");
    if chance(r, 0.2) {
        f.p("person_name", from.first);
    } else {
        f.p("person_name", from.full());
    }
    if chance(r, 0.5) {
        f.t("\n");
        let (v, _) = phone(r, loc);
        if v.starts_with('+') && chance(r, 0.5) {
            f.p("phone", v);
        } else {
            f.t(pick(r, w.phone_ctx)).p("phone", v);
        }
    }
    if chance(r, 0.25) {
        f.t("\n").p("postal_address", {
            let multiline = chance(r, 0.5);
            postal_address(r, loc, multiline)
        });
    }
    if chance(r, 0.2) {
        f.t("\n").p("email", c.email.clone());
    }
}

fn details(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    let w = words(c.loc);
    f.t(w.name_label).p("person_name", c.p.full()).t("\n");
    for _ in 0..range(r, 2, 5) {
        let k = any_pii_kind(r, c.loc);
        mention(r, c, k, &mut f);
        f.t("\n");
    }
    if chance(r, 0.4) {
        let k = id_kind(r, c.loc);
        mention(r, c, k, &mut f);
        f.t("\n");
    }
    if chance(r, 0.3) {
        f.t(w.password_ctx)
            .p("password_assignment", password(r, PwdChars::Any))
            .t("\n");
    }
    if chance(r, 0.5) {
        neg_phrase(r, &mut f);
        f.t("\n");
    }
    f
}

/// A customer's message: greeting, what happened, details, a paste, thanks, signature.
fn message(r: &mut Rng8, c: &Cust) -> (Vec<Block>, &'static str) {
    let w = words(c.loc);
    let mut blocks = Vec::new();
    let mut g = Frag::new();
    greeting(r, &c.agent, c.loc, &mut g);
    blocks.push(Block::Para(g));
    let mut intro = Frag::new();
    intro.t(pick(r, w.intro));
    if chance(r, 0.6) {
        let k = any_pii_kind(r, c.loc);
        intro.t(" ");
        mention(r, c, k, &mut intro);
        intro.t(".");
    }
    if chance(r, 0.5) {
        intro.t(" (");
        neg_phrase(r, &mut intro);
        intro.t(")");
    }
    blocks.push(Block::Para(intro));
    if chance(r, 0.6) {
        blocks.push(Block::Para(details(r, c)));
    }
    let mut lead = Frag::new();
    lead.t(pick(r, w.log_intro));
    blocks.push(Block::Para(lead));
    let (paste, template) = pasted(r, c);
    blocks.push(Block::Pre(paste));
    if chance(r, 0.3) {
        let (paste, _) = pasted(r, c);
        blocks.push(Block::Pre(paste));
    }
    let mut thanks = Frag::new();
    thanks.t(pick(r, w.thanks));
    blocks.push(Block::Para(thanks));
    let mut sig = Frag::new();
    signature(r, &c.p, c.loc, c, &mut sig);
    blocks.push(Block::Para(sig));
    (blocks, template)
}

/// An agent's reply to the customer.
fn reply(r: &mut Rng8, c: &Cust) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut g = Frag::new();
    greeting(r, &c.p, c.loc, &mut g);
    blocks.push(Block::Para(g));
    let mut body = Frag::new();
    body.t("Thank you for the details. We have forwarded this to our engineers (");
    neg_phrase(r, &mut body);
    body.t("). For security reasons, please never send passwords or full card numbers by e-mail.");
    blocks.push(Block::Para(body));
    let mut sig = Frag::new();
    signature(r, &c.agent, c.loc, c, &mut sig);
    blocks.push(Block::Para(sig));
    blocks
}

fn blocks_text(blocks: &[Block]) -> Frag {
    let mut f = Frag::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            f.t("\n\n");
        }
        match b {
            Block::Para(p) => f.append(p),
            Block::Pre(p) => f.append(p),
        };
    }
    f
}

/// HTML for blocks; e-mail addresses are sometimes obfuscated as entities.
fn blocks_html(r: &mut Rng8, blocks: &[Block]) -> Frag {
    let mut f = Frag::new();
    for b in blocks {
        match b {
            Block::Para(p) => {
                f.t("<p>");
                f.append(&p.map(|label, s| html_text(r, label, s, true)));
                f.t("</p>\n");
            }
            Block::Pre(p) => {
                f.t("<pre><code>");
                f.append(&p.map(|label, s| html_text(r, label, s, false)));
                f.t("</code></pre>\n");
            }
        }
    }
    f
}

fn html_text(r: &mut Rng8, label: Label, s: &str, para: bool) -> String {
    let e = html_escape(s);
    match label {
        Label::Plain if para => e.replace('\n', "<br>\n"),
        Label::Pos("email") if chance(r, 0.3) => {
            let at = pick(r, &["&#64;", "&#x40;", "&commat;"]);
            e.replace('@', at)
        }
        _ => e,
    }
}

// ------------------------------------------------------------ documents

pub fn document(r: &mut Rng8) -> Doc {
    let c = Cust::sample(r);
    match range(r, 0, 99) {
        0..=49 => text_doc(r, &c),
        50..=79 => json_doc(r, &c),
        _ => html_doc(r, &c),
    }
}

fn text_doc(r: &mut Rng8, c: &Cust) -> Doc {
    match range(r, 0, 9) {
        0..=3 => {
            let (blocks, _) = message(r, c);
            blocks_text(&blocks).into_doc(Format::Text, "message")
        }
        4 => chat(r, c).into_doc(Format::Text, "chat"),
        _ => {
            let (mut f, template) = pasted(r, c);
            if chance(r, 0.4) {
                let (g, _) = pasted(r, c);
                f.t("\n").append(&g);
            }
            f.into_doc(Format::Text, template)
        }
    }
}

/// A Zendesk-shaped ticket object (no trailing newline).
pub fn ticket_object(r: &mut Rng8) -> Frag {
    let c = Cust::sample(r);
    ticket_frag(r, &c, JsonStyle::Plain, false, false)
}

fn comment(r: &mut Rng8, id: String, author: String, blocks: &[Block]) -> Jv {
    let text = blocks_text(blocks);
    let html = blocks_html(r, blocks);
    obj(vec![
        ("id", Jv::Num(Label::Neg("numeric_id"), id)),
        ("type", js("Comment")),
        ("author_id", Jv::Num(Label::Neg("numeric_id"), author)),
        ("body", Jv::Str(text.clone())),
        ("html_body", Jv::Str(html)),
        ("plain_body", Jv::Str(text)),
        ("public", Jv::Bool(true)),
        ("created_at", jn("timestamp", instant(r).iso_ms())),
    ])
}

fn ticket_frag(r: &mut Rng8, c: &Cust, style: JsonStyle, pretty: bool, wrapped: bool) -> Frag {
    let (blocks, _) = message(r, c);
    let subject = {
        let mut s = Frag::new();
        s.t(pick(r, words(c.loc).subjects));
        if chance(r, 0.2) {
            s.t(" (").n("order_number", order_number(r)).t(")");
        }
        s
    };
    let requester_id = numeric_id(r);
    let first_id = numeric_id(r);
    let mut comments = vec![comment(r, first_id, requester_id.clone(), &blocks)];
    if chance(r, 0.5) {
        let rb = reply(r, c);
        let (id, author) = (numeric_id(r), numeric_id(r));
        comments.push(comment(r, id, author, &rb));
    }
    let e = c.email.clone();
    let requester = obj(vec![
        ("id", Jv::Num(Label::Neg("numeric_id"), requester_id)),
        ("name", jp("person_name", c.p.full())),
        ("email", jemail(r, e)),
    ]);
    let mut members = vec![
        ("id", Jv::Num(Label::Neg("numeric_id"), numeric_id(r))),
        (
            "url",
            js(&format!(
                "https://{}.zendesk.com/api/v2/tickets/{}.json",
                c.co,
                range(r, 1000, 999_999)
            )),
        ),
        ("external_id", Jv::Null),
        ("subject", Jv::Str(subject)),
        ("status", js(pick(r, &["new", "open", "pending"]))),
        (
            "priority",
            js(pick(r, &["low", "normal", "high", "urgent"])),
        ),
        ("created_at", jn("timestamp", instant(r).iso_ms())),
        ("requester", requester),
        (
            "tags",
            Jv::Arr(vec![
                js("api"),
                js(pick(r, &["billing", "login", "integration"])),
            ]),
        ),
        ("comments", Jv::Arr(comments)),
    ];
    if chance(r, 0.3) {
        members.push((
            "via",
            obj(vec![
                ("channel", js("web")),
                (
                    "source",
                    obj(vec![(
                        "from",
                        obj(vec![("ip_address", jp("ipv4", ipv4(r)))]),
                    )]),
                ),
            ]),
        ));
    }
    let t = obj(members);
    let v = if wrapped { obj(vec![("ticket", t)]) } else { t };
    let mut f = Frag::new();
    write_json(&v, &mut f, style, pretty, 0);
    f
}

fn json_doc(r: &mut Rng8, c: &Cust) -> Doc {
    let style = json_style(r);
    let pretty = chance(r, 0.3);
    match range(r, 0, 19) {
        0..=10 => ticket_frag(r, c, style, pretty, true).into_doc(Format::Json, "ticket"),
        11..=13 => {
            let mut f = Frag::new();
            write_json(&json_event(r, c), &mut f, style, pretty, 0);
            f.into_doc(Format::Json, "json_log")
        }
        14..=15 => appsettings(r, c, style).into_doc(Format::Json, "appsettings"),
        _ => webhook(r, c, style, pretty).into_doc(Format::Json, "webhook"),
    }
}

fn appsettings(r: &mut Rng8, c: &Cust, style: JsonStyle) -> Frag {
    let s = secret(r, c, "adonet_password");
    let mut cs = Frag::new();
    cs.t(&s.before).p("adonet_password", s.value).t(&s.after);
    let mut app: Vec<(String, Jv)> = Vec::new();
    for _ in 0..range(r, 2, 5) {
        let k = pick(r, SECRET_KINDS);
        let (key, v) = secret_json(r, c, k);
        app.push((key, Jv::Str(v)));
    }
    app.push((
        "PasswordResetUrl".into(),
        jn("password_url", "/account/password/reset"),
    ));
    app.push((
        "StripePublishableKey".into(),
        jn("publishable_key", stripe_publishable_key(r)),
    ));
    if chance(r, 0.5) {
        app.push(("SupportEmail".into(), jp("email", email_value(r, c))));
    }
    let v = obj(vec![
        (
            "Logging",
            obj(vec![(
                "LogLevel",
                obj(vec![
                    ("Default", js("Information")),
                    ("Microsoft.AspNetCore", js("Warning")),
                ]),
            )]),
        ),
        (
            "ConnectionStrings",
            obj(vec![
                ("Default", Jv::Str(cs)),
                (
                    "Cache",
                    obj(vec![("Password", jn("placeholder", "********"))]),
                ),
            ]),
        ),
        ("App", Jv::Obj(app)),
        (
            "Kestrel",
            obj(vec![(
                "Endpoints",
                obj(vec![(
                    "Http",
                    obj(vec![("Url", js("http://0.0.0.0:8080"))]),
                )]),
            )]),
        ),
        ("AllowedHosts", js("*")),
    ]);
    let mut f = Frag::new();
    write_json(&v, &mut f, style, true, 0);
    f.t("\n");
    f
}

fn webhook(r: &mut Rng8, c: &Cust, style: JsonStyle, pretty: bool) -> Frag {
    let p = &c.p;
    let (ph, _) = phone(r, c.loc);
    let e = c.email.clone();
    let v = match range(r, 0, 2) {
        0 => obj(vec![
            (
                "ticket_id",
                Jv::Num(Label::Neg("numeric_id"), numeric_id(r)),
            ),
            ("requester_name", jp("person_name", p.full())),
            ("requester_email", jemail(r, e)),
            ("requester_phone", jp("phone", ph)),
            ("latest_comment", {
                let mut m = Frag::new();
                error_message(r, c, &mut m);
                Jv::Str(m)
            }),
            ("updated_at", jn("timestamp", instant(r).iso_ms())),
        ]),
        1 => obj(vec![
            ("id", jn("trace_id", format!("evt_{}", chars(r, ALNUM, 24)))),
            ("object", js("event")),
            (
                "api_version",
                jn(
                    "version",
                    format!(
                        "{}-{:02}-{:02}",
                        range(r, 2020, 2025),
                        range(r, 1, 12),
                        range(r, 1, 28)
                    ),
                ),
            ),
            (
                "data",
                obj(vec![(
                    "object",
                    obj(vec![
                        ("id", js(&format!("cus_{}", chars(r, ALNUM, 14)))),
                        ("object", js("customer")),
                        ("email", jemail(r, e)),
                        ("name", jp("person_name", p.full())),
                        ("phone", jp("phone", ph)),
                        (
                            "created",
                            Jv::Num(Label::Neg("timestamp"), instant(r).epoch().to_string()),
                        ),
                        (
                            "metadata",
                            obj(vec![
                                ("crm_id", jn("numeric_id", numeric_id(r))),
                                (
                                    "dob",
                                    jp("date_of_birth", {
                                        let b = birth_date(r);
                                        format!("{}-{:02}-{:02}", b.y, b.m, b.d)
                                    }),
                                ),
                            ]),
                        ),
                    ]),
                )]),
            ),
            ("livemode", Jv::Bool(true)),
        ]),
        _ => {
            let k = id_kind(r, c.loc);
            let doc_type = match k {
                "nl_bsn" => "BSN",
                "dk_cpr" => "CPR-nr.",
                "fi_hetu" => "henkilötunnus",
                "fr_nir" => "NIR",
                "de_steuer_id" => "Steuer-ID",
                "de_rvnr" => "Rentenversicherungsnummer",
                "gb_nino" => "NI number",
                "us_ssn" => "SSN",
                "es_dni" => "DNI",
                "es_nie" => "NIE",
                "it_codice_fiscale" => "codice fiscale",
                "se_personnummer" => "personnummer",
                "be_national_number" => "rijksregisternummer",
                _ => "PESEL",
            };
            let idv = id_value(r, c, k);
            obj(vec![
                (
                    "applicant",
                    obj(vec![
                        ("first_name", jp("person_name", p.first)),
                        ("last_name", jp("person_name", p.last)),
                        ("email", jemail(r, e)),
                        (
                            "date_of_birth",
                            jp("date_of_birth", {
                                let b = birth_date(r);
                                format!("{}-{:02}-{:02}", b.y, b.m, b.d)
                            }),
                        ),
                        (
                            "address",
                            jp("postal_address", postal_address(r, c.loc, false)),
                        ),
                    ]),
                ),
                (
                    "document",
                    obj(vec![("type", js(doc_type)), ("number", jp(k, idv))]),
                ),
                ("check_id", jn("uuid", uuid(r))),
                ("result", js("consider")),
            ])
        }
    };
    let mut f = Frag::new();
    write_json(&v, &mut f, style, pretty, 0);
    f
}

fn html_doc(r: &mut Rng8, c: &Cust) -> Doc {
    if chance(r, 0.75) {
        html_email(r, c).into_doc(Format::Html, "html_email")
    } else {
        error_page(r, c).into_doc(Format::Html, "error_page")
    }
}

fn html_email(r: &mut Rng8, c: &Cust) -> Frag {
    let (blocks, _) = message(r, c);
    let mut f = Frag::new();
    f.t("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
    f.t(&html_escape(pick(r, words(c.loc).subjects)));
    f.t("</title>\n<style>body{font-family:Arial,sans-serif;font-size:14px} pre{background:#f4f4f4}</style></head>\n<body>\n");
    f.append(&blocks_html(r, &blocks));
    if chance(r, 0.6) {
        // A contact card in a table and links.
        let w = words(c.loc);
        f.t("<table class=\"contact\">\n<tr><td>")
            .t(&html_escape(w.name_label.trim_end()))
            .t("</td><td>")
            .p("person_name", html_escape(&c.p.full()))
            .t("</td></tr>\n");
        let (ph, _) = phone(r, c.loc);
        let compact: String = ph
            .replace("(0)", "")
            .chars()
            .filter(|ch| ch.is_ascii_digit() || *ch == '+')
            .collect();
        let tel_label = match c.loc {
            Loc::Da => "Tlf.",
            Loc::Fi => "Puh.",
            Loc::Fr => "Tél.",
            Loc::De | Loc::Nl => "Tel.",
            Loc::EnUs | Loc::EnGb => "Phone",
        };
        f.t("<tr><td>")
            .t(&html_escape(tel_label))
            .t("</td><td><a href=\"tel:")
            .p("phone", compact)
            .t("\">")
            .p("phone", html_escape(&ph))
            .t("</a></td></tr>\n");
        f.t("<tr><td>E-mail</td><td><a href=\"mailto:")
            .p("email", c.email.clone())
            .t("\">");
        let shown = if chance(r, 0.4) {
            c.email.replace('@', "&#64;")
        } else {
            c.email.clone()
        };
        f.p("email", shown).t("</a></td></tr>\n</table>\n");
    }
    if chance(r, 0.4) {
        f.t("<img src=\"https://t.")
            .t(c.co)
            .t(".com/o.gif?u=")
            .p("email", url_encode(&c.email))
            .t("&amp;m=")
            .n("uuid", uuid(r))
            .t("\" width=\"1\" height=\"1\" alt=\"\">\n");
    }
    if chance(r, 0.3) {
        f.t("<!-- sent by ")
            .n("author_field", "mailer-bot")
            .t(" build ")
            .n("version", version(r))
            .t(" -->\n");
    }
    if chance(r, 0.25) {
        f.t("<script>Stripe('")
            .n("publishable_key", stripe_publishable_key(r))
            .t("');</script>\n");
    }
    f.t("</body></html>\n");
    f
}

fn error_page(r: &mut Rng8, c: &Cust) -> Frag {
    let mut f = Frag::new();
    f.t("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>OperationalError at /checkout/</title></head>\n<body>\n");
    f.t("<div id=\"summary\"><h1>OperationalError at /checkout/</h1><pre class=\"exception_value\">");
    let mut m = Frag::new();
    error_message(r, c, &mut m);
    f.append(&m.map(|l, s| html_text(r, l, s, false)));
    f.t("</pre>\n<table class=\"meta\">\n");
    f.t("<tr><th>Request Method:</th><td>POST</td></tr>\n<tr><th>Django Version:</th><td>")
        .n("version", version(r))
        .t("</td></tr>\n");
    f.t("<tr><th>Exception Location:</th><td>/app/checkout/views.py, line ")
        .n("line_number", range(r, 10, 500).to_string())
        .t(", in post</td></tr>\n");
    f.t("<tr><th>Server time:</th><td>")
        .n("timestamp", timestamp(r))
        .t("</td></tr>\n</table></div>\n");
    f.t("<div id=\"requestinfo\"><h2>Request information</h2>\n<table class=\"req\">\n<thead><tr><th>Variable</th><th>Value</th></tr></thead>\n<tbody>\n");
    f.t("<tr><td>REMOTE_ADDR</td><td class=\"code\"><pre>&#39;")
        .p("ipv4", ipv4(r))
        .t("&#39;</pre></td></tr>\n");
    let (kind, hv) = if chance(r, 0.5) {
        ("bearer_token", bearer_token(r))
    } else {
        ("jwt", jwt(r, &c.p))
    };
    f.t("<tr><td>HTTP_AUTHORIZATION</td><td class=\"code\"><pre>&#39;Bearer ")
        .p(kind, hv)
        .t("&#39;</pre></td></tr>\n");
    f.t("<tr><td>HTTP_X_REQUEST_ID</td><td class=\"code\"><pre>&#39;")
        .n("uuid", uuid(r))
        .t("&#39;</pre></td></tr>\n");
    f.t("<tr><td>email</td><td class=\"code\"><pre>&#39;")
        .p("email", email_value(r, c))
        .t("&#39;</pre></td></tr>\n");
    f.t("<tr><td>password</td><td class=\"code\"><pre>&#39;")
        .n("placeholder", "********************")
        .t("&#39;</pre></td></tr>\n");
    f.t("<tr><td>DATABASE_PASSWORD</td><td class=\"code\"><pre>&#39;")
        .n("placeholder", "********************")
        .t("&#39;</pre></td></tr>\n");
    f.t("<tr><td>SERVER_PORT</td><td class=\"code\"><pre>&#39;")
        .n("port", port(r))
        .t("&#39;</pre></td></tr>\n");
    f.t("</tbody></table></div>\n</body>\n</html>\n");
    f
}

// ------------------------------------------------------------ benchmark

/// One ordinary INFO line of a Java service, with no value in it.
fn info_line(r: &mut Rng8, c: &Cust, f: &mut Frag) {
    f.n("timestamp", instant(r).log('.'))
        .t(" INFO  [")
        .t(pick(
            r,
            &["main", "worker-3", "http-nio-8080-exec-7", "scheduler-1"],
        ))
        .t("] ");
    f.t(&format!(
        "c.{}.{}",
        c.co,
        pick(
            r,
            &["OrderService", "CacheWarmer", "HealthCheck", "SyncJob"]
        )
    ))
    .t(" - ");
    plain_message(r, f);
    f.t("\n");
}

/// Twenty to forty INFO lines of one service and nothing to redact: the
/// bulk of a log on most days.
pub fn quiet_log_chunk(r: &mut Rng8) -> Frag {
    let c = Cust::sample(r);
    let mut f = Frag::new();
    for _ in 0..range(r, 20, 40) {
        info_line(r, &c, &mut f);
    }
    f
}

/// A few lines of production logs: mostly routine, with a value every few lines.
pub fn log_chunk(r: &mut Rng8) -> Frag {
    let c = Cust::sample(r);
    let mut f = Frag::new();
    match range(r, 0, 9) {
        0..=2 => {
            for _ in 0..range(r, 4, 10) {
                if chance(r, 0.25) {
                    access_line(r, &c, &mut f);
                } else {
                    info_line(r, &c, &mut f);
                }
            }
            f.n("timestamp", instant(r).log('.'))
                .t(" WARN  [worker-1] c.")
                .t(c.co)
                .t(".Notifier - ");
            error_message(r, &c, &mut f);
            f.t("\n");
        }
        3..=4 => {
            let mut g = Frag::new();
            for _ in 0..range(r, 3, 8) {
                let ev = if chance(r, 0.3) {
                    json_event(r, &c)
                } else {
                    let mut m = Frag::new();
                    plain_message(r, &mut m);
                    obj(vec![
                        ("ts", jn("timestamp", instant(r).iso_ms())),
                        ("level", js("info")),
                        ("msg", Jv::Str(m)),
                        ("trace_id", jn("trace_id", chars(r, HEX, 32))),
                    ])
                };
                write_json(&ev, &mut g, JsonStyle::Plain, false, 0);
                g.t("\n");
            }
            f.append(&g);
        }
        5 => {
            f.append(&java_trace(r, &c));
        }
        6 => {
            f.append(&nginx_access(r, &c));
        }
        7 => {
            f.append(&syslog(r, &c));
        }
        _ => {
            for _ in 0..range(r, 5, 12) {
                f.n("timestamp", instant(r).iso_ms()).t(" level=info ");
                plain_message(r, &mut f);
                f.t("\n");
            }
        }
    }
    f
}
