'use strict';

(() => {
  const STEPS = ['queued', 'generating_screenshot', 'composing_video', 'saving_file', 'completed'];
  const STEP_TEXT = {
    queued: 'Waiting for a free worker…',
    generating_screenshot: 'Rendering your card…',
    composing_video: 'Composing the video and music…',
    saving_file: 'Saving the file…',
    completed: 'Your reel is ready.'
  };
  const FINAL = ['completed', 'failed', 'canceled'];
  const FIELDS = ['tweetBody', 'profileName', 'username', 'profilePhotoUrl', 'theme', 'durationSeconds', 'formats',
    'animation', 'zoom', 'music', 'audioUrl'];
  // fields shown by a group of inputs rather than one input of their own id
  const GROUPS = ['theme', 'formats', 'animation'];
  const $ = (id) => document.getElementById(id);

  const form = $('reel-form');
  const submit = $('submit');
  const formError = $('form-error');
  const progressPanel = $('progress-panel');
  const bar = $('progress');
  const fill = $('progress-fill');
  const progressValue = $('progress-value');
  const statusLine = $('status-line');
  const jobError = $('job-error');
  const video = $('result-video');
  const durationAuto = $('durationAuto');
  const music = $('music');
  const audioUrl = $('audioUrl');
  const preview = $('card-preview');
  const result = $('result');
  const download = $('download');
  const cancelButton = $('cancel');
  const keyForm = $('key-form');
  const keyInput = $('api-key');
  const keyError = $('error-api-key');
  const forgetKey = $('forget-key');

  const KEY_STORAGE = 'tweetreel.apiKey';
  const KEY_PATTERN = /^[\x21-\x7e]+$/; // what a header can carry: visible ASCII, no spaces

  let idempotencyKey = null;
  let stream = null; // the AbortController of the open event stream
  let streamRetryMs = 2000; // the server's retry: line says how long to wait before reopening a stream
  let pollTimer = null;
  let currentJobId = null;
  let afterKey = null; // what to do again once a key is saved

  const isFinal = (job) => FINAL.includes(job.status);

  // ---- API key ----------------------------------------------------------------------------------------
  // With API_AUTH=keys the gateway answers 401 to /api/ calls without a valid key: the page then asks for one,
  // keeps it in local storage and sends it as a Bearer token from then on. Downloads need no key.
  function storedKey() {
    try {
      return localStorage.getItem(KEY_STORAGE) || '';
    } catch (err) {
      return ''; // storage blocked: no key, the form asks again
    }
  }

  function storeKey(key) {
    try {
      if (key) {
        localStorage.setItem(KEY_STORAGE, key);
      } else {
        localStorage.removeItem(KEY_STORAGE);
      }
    } catch (err) {
      // storage blocked: the key cannot be kept
    }
    forgetKey.hidden = !storedKey();
  }

  /** fetch() for /api/ paths, with the key when there is one. */
  function api(path, init = {}) {
    const headers = Object.assign({ Accept: 'application/json' }, init.headers || {});
    const key = storedKey();
    if (key) {
      headers.Authorization = 'Bearer ' + key;
    }
    return fetch(path, Object.assign({}, init, { headers }));
  }

  /** Shows the key form after a 401; {@code retry} runs once a key is saved. */
  function askForKey(retry) {
    afterKey = retry;
    $('key-message').textContent = storedKey()
      ? 'The server refused the saved API key: it is unknown or was revoked. Enter another.'
      : 'This server wants an API key. Enter yours (it starts with trk_).';
    keyError.textContent = '';
    keyInput.removeAttribute('aria-invalid');
    keyForm.hidden = false;
    keyInput.focus();
  }

  keyForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const key = keyInput.value.trim();
    if (!KEY_PATTERN.test(key)) {
      keyError.textContent = 'Enter the key as it was given: one word, no spaces.';
      keyInput.setAttribute('aria-invalid', 'true');
      keyInput.focus();
      return;
    }
    storeKey(key);
    keyInput.value = '';
    keyForm.hidden = true;
    const retry = afterKey;
    afterKey = null;
    if (retry) {
      retry();
    }
  });

  forgetKey.addEventListener('click', () => {
    storeKey('');
  });

  /** The words for a 429: the rate (Retry-After) or the daily quota (resetAt). */
  function limitMessage(response, problem) {
    if ((problem.type || '').endsWith('quota-exceeded')) {
      const reset = problem.resetAt ? new Date(problem.resetAt) : null;
      return reset && !isNaN(reset)
        ? 'Daily quota used — resets at ' + reset.toLocaleString() + '.'
        : 'Daily quota used.';
    }
    const wait = parseInt(response.headers.get('Retry-After'), 10);
    return wait > 0 ? 'Too many requests — try again in ' + wait + ' s.' : 'Too many requests — try again shortly.';
  }

  // ---- live preview ------------------------------------------------------------------------------------
  function initials(name) {
    const words = name.trim().split(/\s+/).filter(Boolean);
    const letters = words.slice(0, 2).map((w) => Array.from(w)[0] || '').join('');
    return (letters || '?').toUpperCase();
  }

  function updatePreview() {
    const name = $('profileName').value.trim() || 'Ada Lovelace';
    const user = $('username').value.trim().replace(/^@/, '') || 'ada';
    const text = $('tweetBody').value || 'The more I study, the more insatiable do I feel my genius for it to be.';
    $('preview-name').textContent = name;
    $('preview-handle').textContent = '@' + user;
    $('preview-text').textContent = text;
    $('preview-avatar').textContent = initials(name);
    preview.dataset.theme = form.elements.theme.value;
    const count = Array.from($('tweetBody').value).length;
    const counter = $('tweetBody-counter');
    counter.textContent = count + ' / 2000';
    counter.classList.toggle('over', count > 2000);
    // a reveal is paced from the text unless the length is set; a still reel has the slider alone
    const reveal = form.elements.animation.value === 'reveal';
    const auto = lengthFromText();
    $('duration-auto-row').hidden = !reveal;
    $('durationSeconds').disabled = auto;
    $('duration-output').textContent = auto ? 'from the text' : $('durationSeconds').value + ' s';
    // a track of one's own replaces the music: the API takes one or the other
    music.disabled = audioUrl.value.trim() !== '';
  }

  function lengthFromText() {
    return form.elements.animation.value === 'reveal' && durationAuto.checked;
  }

  form.addEventListener('input', (e) => {
    idempotencyKey = null; // a changed request is a new request
    const user = $('username');
    if (e.target === user && user.value.startsWith('@')) {
      user.value = user.value.replace(/^@+/, ''); // the field already shows the @
    }
    if (e.target && e.target.name) {
      clearFieldError(e.target.name);
    }
    updatePreview();
  });

  // ---- errors ------------------------------------------------------------------------------------------
  function clearFieldError(field) {
    const el = $('error-' + field);
    if (el) {
      el.textContent = '';
    }
    const input = GROUPS.includes(field) ? null : $(field);
    if (input) {
      input.removeAttribute('aria-invalid');
    }
  }

  function clearErrors() {
    FIELDS.forEach(clearFieldError);
    formError.hidden = true;
    formError.textContent = '';
  }

  function showProblem(problem) {
    const unplaced = [];
    (problem.errors || []).forEach((err) => {
      // formats[1] is shown under the formats
      const field = err.field && err.field.startsWith('formats') ? 'formats' : err.field;
      const el = field && $('error-' + field);
      if (el) {
        el.textContent = messageFor(field, err.message);
        const input = GROUPS.includes(field) ? null : $(field);
        if (input) {
          input.setAttribute('aria-invalid', 'true');
        }
      } else {
        unplaced.push((err.field ? err.field + ' ' : '') + err.message);
      }
    });
    if (unplaced.length || !(problem.errors || []).length) {
      formError.textContent = unplaced.length ? unplaced.join('. ') : (problem.detail || problem.title || 'Something went wrong.');
      formError.hidden = false;
    }
    const first = (problem.errors || []).map((e) => e.field).find((f) => f && !GROUPS.includes(f) && $(f));
    if (first) {
      $(first).focus();
    }
  }

  function messageFor(field, message) {
    const names = {
      tweetBody: 'The post', profileName: 'The display name', username: 'The username',
      profilePhotoUrl: 'The photo URL', theme: 'The theme', durationSeconds: 'The length', formats: 'The formats',
      animation: 'The motion', zoom: 'The zoom', music: 'The music', audioUrl: 'The audio URL'
    };
    return (names[field] || field) + ' ' + message + '.';
  }

  // ---- submit ------------------------------------------------------------------------------------------
  function newKey() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }

  function requestBody() {
    const body = {
      tweetBody: $('tweetBody').value,
      profileName: $('profileName').value,
      username: $('username').value.trim(),
      theme: form.elements.theme.value,
      durationSeconds: Number($('durationSeconds').value),
      // none checked is sent as it is: the gateway says a job needs at least one
      formats: Array.from(form.querySelectorAll('input[name=formats]:checked'), (box) => box.value)
    };
    const photo = $('profilePhotoUrl').value.trim();
    if (photo) {
      body.profilePhotoUrl = photo;
    }
    // the choices below are sent only when they differ from the API's defaults (animation none, no zoom,
    // the default music), so a request that changes none of them is the same as before they existed
    const animation = form.elements.animation.value;
    if (animation !== 'none') {
      body.animation = animation;
    }
    if (lengthFromText()) {
      delete body.durationSeconds; // the pipeline paces the reveal from the text
    }
    if ($('zoom').checked) {
      body.zoom = true;
    }
    const audio = audioUrl.value.trim();
    if (audio) {
      body.audioUrl = audio; // never with music: the gateway refuses both
    } else if (music.value !== 'default') {
      body.music = music.value;
    }
    return body;
  }

  function setBusy(busy) {
    submit.disabled = busy;
    submit.classList.toggle('busy', busy);
    submit.querySelector('.label').textContent = busy ? 'Sending…' : 'Create reel';
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    setBusy(true);
    idempotencyKey = idempotencyKey || newKey(); // a retried click is the same job
    try {
      const response = await api('/api/generate', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
        body: JSON.stringify(requestBody())
      });
      const payload = await response.json().catch(() => ({}));
      if (response.status === 202) {
        keyForm.hidden = true;
        startTracking(payload.jobId);
      } else if (response.status === 401) {
        setBusy(false);
        askForKey(() => form.requestSubmit());
      } else if (response.status === 429) {
        formError.textContent = limitMessage(response, payload);
        formError.hidden = false;
        setBusy(false);
      } else {
        showProblem(payload);
        setBusy(false);
      }
    } catch (err) {
      formError.textContent = 'The server could not be reached. Check your connection and try again.';
      formError.hidden = false;
      setBusy(false);
    }
  });

  // ---- progress ----------------------------------------------------------------------------------------
  function startTracking(jobId) {
    currentJobId = jobId;
    form.hidden = true;
    progressPanel.hidden = false;
    jobError.hidden = true;
    bar.classList.add('running');
    bar.classList.remove('failed', 'canceled');
    cancelButton.disabled = false;
    cancelButton.textContent = 'Cancel';
    render({ status: 'pending', progress: 0, currentStep: 'queued' });
    stopTracking();
    follow(jobId);
  }

  function stopTracking() {
    if (stream) {
      stream.abort();
      stream = null;
    }
    clearTimeout(pollTimer);
  }

  /**
   * Follows the job's Server-Sent Events. Read with fetch() rather than EventSource, which cannot send the key;
   * like EventSource, a stream that ends before the job is final (its age limit, a gateway restart) is opened
   * again after the server's retry delay. A stream the server refuses (503: none to spare) falls back to polling.
   */
  async function follow(jobId) {
    const controller = new AbortController();
    stream = controller;
    let finished = false;
    try {
      const response = await api('/api/jobs/' + encodeURIComponent(jobId) + '/events', {
        headers: { Accept: 'text/event-stream' },
        signal: controller.signal
      });
      if (response.status === 401) {
        stopTracking();
        askForKey(() => follow(jobId));
        return;
      }
      if (!response.ok || !response.body) {
        stopTracking();
        poll(jobId);
        return;
      }
      await readEvents(response.body, controller.signal, (type, data) => {
        if (type !== 'status') {
          return true;
        }
        const job = JSON.parse(data);
        render(job);
        finished = isFinal(job);
        return !finished;
      });
    } catch (err) {
      // the connection broke, or the stream was aborted on purpose: see below
    }
    if (controller.signal.aborted || stream !== controller) {
      return; // stopped on purpose (another job, or Make another)
    }
    if (finished) {
      stopTracking();
      return;
    }
    pollTimer = setTimeout(() => follow(jobId), streamRetryMs);
  }

  /**
   * Reads an event stream as the HTML standard defines it (comments and unknown fields ignored, data lines joined
   * with newlines, an event dispatched at a blank line), handing each event to onEvent until it answers false.
   */
  async function readEvents(body, signal, onEvent) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let type = '';
    let data = null;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || signal.aborted) {
          return;
        }
        buffer += decoder.decode(value, { stream: true });
        const lines = buffer.split('\n');
        buffer = lines.pop(); // an unfinished line waits for the next chunk
        for (const raw of lines) {
          const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
          if (line === '') {
            if (data !== null && onEvent(type || 'message', data) === false) {
              return;
            }
            type = '';
            data = null;
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            let value = colon < 0 ? '' : line.slice(colon + 1);
            if (value.startsWith(' ')) {
              value = value.slice(1);
            }
            if (field === 'event') {
              type = value;
            } else if (field === 'data') {
              data = data === null ? value : data + '\n' + value;
            } else if (field === 'retry' && /^\d+$/.test(value)) {
              streamRetryMs = Number(value);
            }
          }
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  async function poll(jobId) {
    try {
      const response = await api('/api/jobs/' + encodeURIComponent(jobId));
      if (response.status === 401) {
        askForKey(() => poll(jobId));
        return;
      }
      if (response.ok) {
        const job = await response.json();
        render(job);
        if (isFinal(job)) {
          return;
        }
      }
    } catch (err) {
      // try again below
    }
    pollTimer = setTimeout(() => poll(jobId), 1500);
  }

  function render(job) {
    const progress = Math.max(0, Math.min(100, job.progress || 0));
    fill.style.width = progress + '%';
    bar.setAttribute('aria-valuenow', String(progress));
    progressValue.textContent = progress + '%';
    const current = STEPS.indexOf(job.currentStep);
    document.querySelectorAll('.step').forEach((li) => {
      const i = STEPS.indexOf(li.dataset.step);
      li.classList.remove('done', 'active', 'failed', 'canceled');
      if (job.status === 'completed' || i < current) {
        li.classList.add('done');
      } else if (i === current) {
        li.classList.add(job.status === 'failed' || job.status === 'canceled' ? job.status : 'active');
      }
    });
    cancelButton.hidden = isFinal(job);
    if (job.status === 'canceled') {
      bar.classList.remove('running');
      bar.classList.add('canceled');
      statusLine.textContent = 'Canceled. No video was made.';
      showAgain();
    } else if (job.status === 'failed') {
      bar.classList.remove('running');
      bar.classList.add('failed');
      statusLine.textContent = 'The reel could not be made.';
      jobError.textContent = (job.error && job.error.message) || 'Something went wrong.';
      jobError.hidden = false;
      showAgain();
    } else if (job.status === 'completed') {
      bar.classList.remove('running');
      statusLine.textContent = STEP_TEXT.completed;
      showResult(job.result);
    } else {
      statusLine.textContent = STEP_TEXT[job.currentStep] || 'Working…';
    }
  }

  function showResult(res) {
    if (!res || !res.filename) {
      return;
    }
    const url = '/download/' + encodeURIComponent(res.filename); // same origin, whatever BASE_URL says
    showCaptions(res);
    video.src = url;
    video.hidden = false;
    download.href = url;
    download.setAttribute('download', res.filename);
    const mb = (res.fileSize / (1024 * 1024)).toFixed(1);
    const expires = res.expiresAt ? new Date(res.expiresAt).toLocaleString() : '';
    $('result-meta').textContent = res.resolution + ' · ' + Math.round(res.duration) + ' s · ' + mb + ' MB'
      + (expires ? ' · available until ' + expires : '');
    showOutputs(res.outputs || []);
    result.hidden = false;
  }

  /** "VTT · SRT": a format's caption files, which share its video's name. */
  function captionLinks(filename) {
    const links = document.createElement('span');
    links.className = 'output-captions';
    [['vtt', 'VTT'], ['srt', 'SRT']].forEach(([extension, text], i) => {
      const name = filename.replace(/\.mp4$/, '.' + extension);
      const link = document.createElement('a');
      link.href = '/download/' + encodeURIComponent(name);
      link.setAttribute('download', name);
      link.textContent = text;
      if (i > 0) {
        links.append(' · ');
      }
      links.append(link);
    });
    return links;
  }

  /**
   * The first format's captions: a track the player shows by default, and links to both files. Same origin, like
   * the video, so the track loads without CORS; the files share the video's name.
   */
  function showCaptions(res) {
    video.replaceChildren();
    const captions = $('captions');
    captions.hidden = !res.captions;
    if (!res.captions) {
      return;
    }
    const stem = '/download/' + encodeURIComponent(res.filename.replace(/\.mp4$/, ''));
    const track = document.createElement('track');
    track.kind = 'captions';
    track.label = 'Captions';
    track.src = stem + '.vtt';
    track.default = true;
    video.append(track);
    $('captions-vtt').href = stem + '.vtt';
    $('captions-vtt').setAttribute('download', res.filename.replace(/\.mp4$/, '.vtt'));
    $('captions-srt').href = stem + '.srt';
    $('captions-srt').setAttribute('download', res.filename.replace(/\.mp4$/, '.srt'));
  }

  /** Every format's video and poster, with its captions when it has them, when there is more than the one shown. */
  function showOutputs(outputs) {
    const list = $('outputs');
    list.replaceChildren();
    list.hidden = outputs.length < 2;
    if (list.hidden) {
      return;
    }
    outputs.forEach((out) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = '/download/' + encodeURIComponent(out.filename);
      link.setAttribute('download', out.filename);
      if (out.posterUrl) {
        const poster = document.createElement('img');
        poster.src = '/download/' + encodeURIComponent(out.filename.replace(/\.mp4$/, '.jpg'));
        poster.alt = out.format + ' poster';
        poster.loading = 'lazy';
        link.append(poster);
      }
      const label = document.createElement('span');
      label.textContent = out.format + ' · ' + out.resolution + ' · MP4';
      link.append(label);
      item.append(link);
      if (out.captions) {
        item.append(captionLinks(out.filename));
      }
      list.append(item);
    });
  }

  // ---- cancel ------------------------------------------------------------------------------------------
  cancelButton.addEventListener('click', async () => {
    const jobId = currentJobId;
    if (!jobId) {
      return;
    }
    cancelButton.disabled = true;
    cancelButton.textContent = 'Canceling…';
    try {
      const response = await api('/api/jobs/' + encodeURIComponent(jobId) + '/cancel', { method: 'POST' });
      const payload = await response.json().catch(() => ({}));
      if (jobId !== currentJobId) {
        return; // the page moved on to another job meanwhile
      }
      if (response.status === 401) {
        cancelButton.disabled = false;
        cancelButton.textContent = 'Cancel';
        askForKey(() => cancelButton.click());
        return;
      }
      if (response.status === 202) {
        render(payload);
        if (isFinal(payload)) {
          stopTracking();
        }
        return; // not final yet: the event stream brings the canceled state
      }
      if (response.status === 409) {
        return; // it finished first: the event stream shows how
      }
      statusLine.textContent = payload.detail || 'The job could not be canceled. Try again.';
    } catch (err) {
      statusLine.textContent = 'The server could not be reached. Try again.';
    }
    cancelButton.disabled = false;
    cancelButton.textContent = 'Cancel';
  });

  function showAgain() {
    result.hidden = false;
    download.hidden = true;
  }

  $('again').addEventListener('click', () => {
    stopTracking();
    currentJobId = null;
    video.pause();
    video.removeAttribute('src');
    video.replaceChildren();
    video.hidden = true;
    $('captions').hidden = true;
    result.hidden = true;
    $('outputs').replaceChildren();
    $('outputs').hidden = true;
    download.hidden = false;
    progressPanel.hidden = true;
    form.hidden = false;
    idempotencyKey = null;
    setBusy(false);
    $('tweetBody').focus();
  });

  forgetKey.hidden = !storedKey();
  updatePreview();
})();
