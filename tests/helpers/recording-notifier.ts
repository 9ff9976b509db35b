import type { Notifier } from '../../src/jobs/job.js';

/** A job's own port, recording what it posts and uploads (Slack itself is not part of job tests). */
export class RecordingNotifier implements Notifier {
  readonly posts: { channel: string; text: string }[] = [];
  readonly uploads: { channel: string; filename: string; bytes: Buffer }[] = [];
  async post(channel: string, message: { text: string }): Promise<void> {
    this.posts.push({ channel, text: message.text });
  }
  async upload(channel: string, file: { filename: string; bytes: Buffer }): Promise<void> {
    this.uploads.push({ channel, filename: file.filename, bytes: file.bytes });
  }
  /** The texts posted to one channel or person, in order. */
  to(channel: string): string[] {
    return this.posts.filter((p) => p.channel === channel).map((p) => p.text);
  }
}
