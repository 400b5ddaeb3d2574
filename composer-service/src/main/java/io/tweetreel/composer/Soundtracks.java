package io.tweetreel.composer;

import io.tweetreel.core.JobFailure;
import io.tweetreel.core.RequestRules;
import io.tweetreel.schemas.MusicChoice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses each job's sound from its {@code music} and {@code audioUrl}: the configured default track
 * ({@code AUDIO_PATH} or the bundled one), a bundled mood, silence ({@code none}), or the user's own track fetched by
 * the {@link AudioFetcher}. Thread-safe.
 */
public final class Soundtracks {
    /** Name of the fetched track in the job's workspace: its format is ffmpeg's to detect, not the URL's. */
    static final String FETCHED_FILE = "audio-url.bin";

    private final Map<MusicChoice, Path> tracks;
    private final AudioFetcher fetcher;

    /**
     * @param tracks  a file for every choice but {@link MusicChoice#NONE} ({@link BundledMusic#resolveAll})
     * @param fetcher fetches {@code audioUrl}s
     */
    public Soundtracks(Map<MusicChoice, Path> tracks, AudioFetcher fetcher) {
        for (MusicChoice choice : MusicChoice.values()) {
            if (choice != MusicChoice.NONE && !tracks.containsKey(choice)) {
                throw new IllegalArgumentException("no track for music " + choice.label());
            }
        }
        this.tracks = Map.copyOf(tracks);
        this.fetcher = fetcher;
    }

    /**
     * The sound a job asked for, not yet leveled.
     *
     * @param music     the record's {@code music}; null means the default
     * @param audioUrl  the record's {@code audioUrl}; null or blank means none
     * @param workspace the job's directory, where a fetched track is written
     * @throws JobFailure {@link RequestRules#INVALID_REQUEST} for an unknown music name or both fields set (the renderer
     *                    refuses such requests first; this is defence only), {@value AudioFetcher#FAILURE_CODE} for
     *                    an audioUrl that cannot be used
     */
    public ReelAudio choose(String music, String audioUrl, Path workspace) throws JobFailure, IOException {
        String url = RequestRules.audioUrl(audioUrl);
        Optional<RequestRules.Violation> problem = RequestRules.checkMusic(music, url);
        if (problem.isPresent()) {
            throw new JobFailure(RequestRules.INVALID_REQUEST, RequestRules.describe(List.of(problem.get())));
        }
        if (url != null) {
            return fetcher.fetch(url, workspace.resolve(FETCHED_FILE));
        }
        return track(MusicChoice.of(music).orElseThrow())
                .map(ReelAudio::configured)
                .orElse(ReelAudio.SILENCE);
    }

    /** The file of a choice; empty for {@link MusicChoice#NONE}. */
    public Optional<Path> track(MusicChoice choice) {
        return Optional.ofNullable(tracks.get(choice));
    }
}
