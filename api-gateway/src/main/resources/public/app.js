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
  const FIELDS = ['tweetBody', 'profileName', 'username', 'profilePhotoUrl', 'theme', 'durationSeconds'];
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
  const preview = $('card-preview');
  const result = $('result');
  const download = $('download');
  const cancelButton = $('cancel');

  let idempotencyKey = null;
  let events = null;
  let pollTimer = null;
  let currentJobId = null;

  const isFinal = (job) => FINAL.includes(job.status);

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
    $('duration-output').textContent = $('durationSeconds').value + ' s';
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
    const input = field === 'theme' ? null : $(field);
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
      const el = err.field && $('error-' + err.field);
      if (el) {
        el.textContent = messageFor(err.field, err.message);
        const input = err.field === 'theme' ? null : $(err.field);
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
    const first = (problem.errors || []).map((e) => e.field).find((f) => f && f !== 'theme' && $(f));
    if (first) {
      $(first).focus();
    }
  }

  function messageFor(field, message) {
    const names = {
      tweetBody: 'The post', profileName: 'The display name', username: 'The username',
      profilePhotoUrl: 'The photo URL', theme: 'The theme', durationSeconds: 'The length'
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
      durationSeconds: Number($('durationSeconds').value)
    };
    const photo = $('profilePhotoUrl').value.trim();
    if (photo) {
      body.profilePhotoUrl = photo;
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
      const response = await fetch('/api/generate', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'Idempotency-Key': idempotencyKey },
        body: JSON.stringify(requestBody())
      });
      const payload = await response.json().catch(() => ({}));
      if (response.status === 202) {
        startTracking(payload.jobId);
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
    if (window.EventSource) {
      events = new EventSource('/api/jobs/' + encodeURIComponent(jobId) + '/events');
      events.addEventListener('status', (ev) => {
        const job = JSON.parse(ev.data);
        render(job);
        if (isFinal(job)) {
          stopTracking();
        }
      });
      events.onerror = () => {
        if (events && events.readyState === EventSource.CLOSED) {
          stopTracking();
          poll(jobId); // the stream was refused: fall back to polling
        }
      };
    } else {
      poll(jobId);
    }
  }

  function stopTracking() {
    if (events) {
      events.close();
      events = null;
    }
    clearTimeout(pollTimer);
  }

  async function poll(jobId) {
    try {
      const response = await fetch('/api/jobs/' + encodeURIComponent(jobId), { headers: { Accept: 'application/json' } });
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
    video.src = url;
    video.hidden = false;
    download.href = url;
    download.setAttribute('download', res.filename);
    const mb = (res.fileSize / (1024 * 1024)).toFixed(1);
    const expires = res.expiresAt ? new Date(res.expiresAt).toLocaleString() : '';
    $('result-meta').textContent = res.resolution + ' · ' + Math.round(res.duration) + ' s · ' + mb + ' MB'
      + (expires ? ' · available until ' + expires : '');
    result.hidden = false;
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
      const response = await fetch('/api/jobs/' + encodeURIComponent(jobId) + '/cancel', {
        method: 'POST',
        headers: { Accept: 'application/json' }
      });
      const payload = await response.json().catch(() => ({}));
      if (jobId !== currentJobId) {
        return; // the page moved on to another job meanwhile
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
    video.hidden = true;
    result.hidden = true;
    download.hidden = false;
    progressPanel.hidden = true;
    form.hidden = false;
    idempotencyKey = null;
    setBusy(false);
    $('tweetBody').focus();
  });

  updatePreview();
})();
