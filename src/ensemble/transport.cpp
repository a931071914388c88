// Where members run: this process alone, or, when built with MPI and started by mpirun (or srun), one rank of
// several. Rank 0 folds and writes; the others send their members to it (docs/uncertainty.md).
#include <cstdlib>
#include <cstring>
#include <limits>
#include <set>
#include <stdexcept>

#include "ensemble/ensemble.hpp"

#ifdef DOSEFLOW_WITH_MPI
#include <mpi.h>
#endif

namespace doseflow::ensemble {
namespace {

class LocalTransport : public MemberTransport {};

#ifdef DOSEFLOW_WITH_MPI

class Writer {
public:
    template <class T> void put(const T& value) {
        const auto* bytes = reinterpret_cast<const char*>(&value);
        data.insert(data.end(), bytes, bytes + sizeof(T));
    }
    void put_text(std::string_view text) {
        put(static_cast<std::uint64_t>(text.size()));
        data.insert(data.end(), text.begin(), text.end());
    }
    std::vector<char> data;
};

class Reader {
public:
    explicit Reader(const std::vector<char>& data) : data_(data) {}
    template <class T> T get() {
        if (at_ + sizeof(T) > data_.size()) throw std::runtime_error("MPI: truncated member message");
        T value;
        std::memcpy(&value, data_.data() + at_, sizeof(T));
        at_ += sizeof(T);
        return value;
    }
    std::string get_text() {
        const auto size = get<std::uint64_t>();
        if (at_ + size > data_.size()) throw std::runtime_error("MPI: truncated member message");
        std::string text(data_.data() + at_, size);
        at_ += size;
        return text;
    }

private:
    const std::vector<char>& data_;
    std::size_t at_ = 0;
};

constexpr int member_tag = 1;

class MpiTransport : public MemberTransport {
public:
    MpiTransport(int& argc, char**& argv) {
        int provided = 0;
        MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
        if (provided < MPI_THREAD_SERIALIZED) {
            MPI_Finalize();
            throw std::runtime_error("MPI: the library does not allow calls from more than one thread "
                                     "(MPI_THREAD_SERIALIZED); run with --threads 1 per rank under a thread-safe MPI");
        }
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
    }
    ~MpiTransport() override { MPI_Finalize(); }
    MpiTransport(const MpiTransport&) = delete;
    MpiTransport& operator=(const MpiTransport&) = delete;

    int rank() const override { return rank_; }
    int size() const override { return size_; }

    void send(const MemberOutcome& o) override {
        Writer w;
        w.put(o.member);
        w.put(o.seed);
        w.put_text(o.error);
        w.put(static_cast<std::uint64_t>(o.drawn.size()));
        for (double v : o.drawn) w.put(v);
        w.put(static_cast<std::uint64_t>(o.figures.size()));
        for (std::size_t i = 0; i < o.figures.size(); ++i) {
            w.put_text(o.figure_names[i]);
            w.put(o.figures[i]);
        }
        w.put(static_cast<std::uint64_t>(o.points.size()));
        for (const auto& p : o.points) {
            w.put(p.date.days_since_1970());
            w.put(p.key.country);
            w.put(p.key.product);
            w.put(p.key.component);
            w.put(static_cast<std::int32_t>(p.kind));
            w.put(p.value);
            w.put_text(p.key.metric);
            w.put_text(p.key.tag);
        }
        if (w.data.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
            throw std::runtime_error("MPI: a member's series exceed 2 GB; keep fewer --metrics");
        MPI_Send(w.data.data(), static_cast<int>(w.data.size()), MPI_BYTE, 0, member_tag, MPI_COMM_WORLD);
    }

    MemberOutcome receive(int member) override {
        const int owner = member % size_;
        MPI_Status status;
        MPI_Probe(owner, member_tag, MPI_COMM_WORLD, &status);
        int bytes = 0;
        MPI_Get_count(&status, MPI_BYTE, &bytes);
        std::vector<char> data(static_cast<std::size_t>(bytes));
        MPI_Recv(data.data(), bytes, MPI_BYTE, owner, member_tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        Reader r(data);
        MemberOutcome o;
        o.member = r.get<int>();
        o.seed = r.get<std::uint64_t>();
        o.error = r.get_text();
        if (o.member != member) throw std::runtime_error("MPI: members arrived out of order");
        o.drawn.resize(r.get<std::uint64_t>());
        for (double& v : o.drawn) v = r.get<double>();
        const auto figures = r.get<std::uint64_t>();
        for (std::uint64_t i = 0; i < figures; ++i) {
            o.figure_names.push_back(r.get_text());
            o.figures.push_back(r.get<double>());
        }
        o.points.resize(r.get<std::uint64_t>());
        for (auto& p : o.points) {
            p.date = Date::from_days(r.get<std::int32_t>());
            p.key.country = r.get<std::int32_t>();
            p.key.product = r.get<std::int32_t>();
            p.key.component = r.get<std::int32_t>();
            p.kind = static_cast<MetricKind>(r.get<std::int32_t>());
            p.value = r.get<double>();
            p.key.metric = intern(r.get_text());  // SeriesKey holds views: keep the text alive here
            p.key.tag = intern(r.get_text());
        }
        return o;
    }

    bool agree(bool ok) override {
        int flag = ok ? 1 : 0;
        MPI_Bcast(&flag, 1, MPI_INT, 0, MPI_COMM_WORLD);
        return flag != 0;
    }

private:
    std::string_view intern(std::string text) {
        if (text.empty()) return {};
        return *strings_.insert(std::move(text)).first;
    }
    int rank_ = 0, size_ = 1;
    std::set<std::string> strings_;
};

// Started by a launcher: Open MPI's mpirun, or Slurm's srun through PMI or PMIx.
bool launched_by_mpi() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
        if (std::getenv(name)) return true;
    return false;
}

#endif

}  // namespace

std::unique_ptr<MemberTransport> make_transport(int& argc, char**& argv) {
#ifdef DOSEFLOW_WITH_MPI
    if (launched_by_mpi()) return std::make_unique<MpiTransport>(argc, argv);
#endif
    (void)argc;
    (void)argv;
    return std::make_unique<LocalTransport>();
}

Ranks::Ranks(int& argc, char**& argv) : transport_(make_transport(argc, argv)) {}
Ranks::~Ranks() = default;
int Ranks::rank() const { return transport_->rank(); }
int Ranks::size() const { return transport_->size(); }
MemberTransport& Ranks::transport() const { return *transport_; }

}  // namespace doseflow::ensemble
