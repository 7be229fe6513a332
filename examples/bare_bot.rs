//! A bare poise bot: the yardstick `bot_latency` measures Clio against.
//!
//! One slash command, `/fact`, answering an embed and a button; the button answers by updating
//! the message. Built with the same poise, serenity and tokio as Clio, configured as a minimal
//! bot would be (no cache, no intents, serenity's default HTTP client, tokio's default runtime),
//! so the difference `bot_latency` shows is what Clio itself costs.
//!
//! ```sh
//! DISCORD_TOKEN=... cargo run --release --example bare_bot
//! DISCORD_API_BASE=http://127.0.0.1:PORT ...   # against a proxy or the fake Discord
//! ```

use poise::serenity_prelude as serenity;

type Error = Box<dyn std::error::Error + Send + Sync>;
type Context<'a> = poise::Context<'a, (), Error>;

const BUTTON: &str = "bare:more";

fn embed(title: &str) -> serenity::CreateEmbed {
    serenity::CreateEmbed::new()
        .title(title)
        .description("Germany invaded Poland from the west, north and south.")
        .field("Date", "1 September 1939", true)
        .footer(serenity::CreateEmbedFooter::new("Source: a book"))
        .colour(0x8b_1a_1a)
}

fn buttons() -> Vec<serenity::CreateActionRow> {
    vec![serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(BUTTON)
            .label("More")
            .style(serenity::ButtonStyle::Secondary),
    ])]
}

/// A fact, as an embed with a button.
#[poise::command(slash_command)]
async fn fact(ctx: Context<'_>) -> Result<(), Error> {
    ctx.send(
        poise::CreateReply::default()
            .embed(embed("Invasion of Poland"))
            .components(buttons()),
    )
    .await?;
    Ok(())
}

/// The button: the same message, updated.
async fn on_event(
    framework: poise::FrameworkContext<'_, (), Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    if let serenity::FullEvent::InteractionCreate {
        interaction: serenity::Interaction::Component(press),
    } = event
    {
        if press.data.custom_id == BUTTON {
            let update = serenity::CreateInteractionResponseMessage::new()
                .embed(embed("Invasion of Poland, more"))
                .components(buttons());
            press
                .create_response(
                    &framework.serenity_context.http,
                    serenity::CreateInteractionResponse::UpdateMessage(update),
                )
                .await?;
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
        .init();
    let token = std::env::var("DISCORD_TOKEN").expect("DISCORD_TOKEN");
    let http = match std::env::var("DISCORD_API_BASE") {
        Ok(base) => serenity::HttpBuilder::new(&token)
            .proxy(base)
            .ratelimiter_disabled(true)
            .build(),
        Err(_) => serenity::HttpBuilder::new(&token).build(),
    };
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![fact()],
            event_handler: |framework, event| Box::pin(on_event(framework, event)),
            initialize_owners: false,
            ..Default::default()
        })
        .setup(|ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_globally(ctx, &framework.options().commands).await?;
                Ok(())
            })
        })
        .initialize_owners(false)
        .build();
    let mut client =
        serenity::ClientBuilder::new_with_http(http, serenity::GatewayIntents::empty())
            .framework(framework)
            .await
            .expect("the client");
    tokio::select! {
        result = client.start() => result.expect("the gateway"),
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate() => {}
    }
}

async fn terminate() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("a SIGTERM handler");
        term.recv().await;
    }
    #[cfg(not(unix))]
    std::future::pending::<()>().await
}
