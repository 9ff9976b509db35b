// The yardstick of `npm run bench:startup`: a bare Bolt app in HTTP mode with one `/kh`
// listener, started the same way as the bot (plain JavaScript, `node <file>`), against the
// same fake Slack Web API. Everything Custodian adds on top is measured against this.
import bolt from '@slack/bolt';

const app = new bolt.App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command('/kh', async ({ ack, respond, command }) => {
  await ack();
  await respond({ text: `you said: ${command.text}` });
});
await app.start({ port: Number(process.env.PORT), host: process.env.HOST });
console.log('bare Bolt app is running');
process.on('SIGTERM', async () => {
  await app.stop();
  process.exit(0);
});
